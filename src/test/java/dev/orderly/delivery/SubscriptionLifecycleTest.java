package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;


import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;

import dev.orderly.channel.ChannelKeys;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Frames;
import dev.orderly.support.Released;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Opening, keeping and closing a subscription: headers, the ready frame, heartbeats and release. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class SubscriptionLifecycleTest extends SubscriberTestBase {

    @Test
    void disconnectReleasesRedisSubscription() {
        String channel = "release:" + Runs.newChannelId();
        String live = ChannelKeys.of(channel).live();
        SseClient first = SseClient.open(URI.create(realtime + "?channel=" + channel));
        SseClient second = SseClient.open(URI.create(realtime + "?channel=" + channel));
        first.awaitReady();
        second.awaitReady();

        assertEquals(1, Released.subscribers(redis, live), "one Redis subscription shared by both clients");
        assertEquals(2, registry.size());
        assertEquals(2, hub.listenerCount());

        first.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 1);
        assertEquals(1, Released.subscribers(redis, live), "still subscribed for the second client");
        assertEquals(1, hub.listenerCount());

        second.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Released.subscribers(redis, live) == 0);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> registry.size() == 0);
        assertEquals(0, hub.listenerCount());
        assertEquals(0, hub.channelCount());
    }

    @ParameterizedTest
    @ValueSource(strings = { "channel=a%20b", "channel=a%7Bb", "channel=a%7Db", "channel=a*b", "channel=",
        "since=1", "channel=%00" })
    void invalidChannelIsRejected(String query) {
        JsonPath problem = SseClient.rejection(URI.create(realtime + "?" + query));

        assertEquals("channel", problem.getString("field"));
        assertEquals(List.of(), Released.liveChannels(redis), "no Redis subscription was made");
    }

    @Test
    void overlongChannelIsRejected() {
        JsonPath problem = SseClient.rejection(URI.create(realtime + "?channel=" + "c".repeat(257)));

        assertEquals("channel", problem.getString("field"));
        assertTrue(problem.getString("detail").contains("256"), problem.getString("detail"));
    }

    @Test
    void streamHasSseHeadersAndReadyFrame() {
        String channel = "headers:" + Runs.newChannelId();
        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel))) {
            SseClient.Frame ready = client.awaitReady();
            HttpResponse<?> response = client.response();

            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElseThrow());
            assertEquals("0-0", ready.id(), "a channel without history starts at epoch 0, offset 0");
            assertEquals(channel, Frames.json(ready).at("/channels/0/channel").asText());
            assertTrue(Frames.json(ready).at("/channels/0/epoch").isNull());
            assertEquals("0-0", Frames.json(ready).get("cursor").asText());
        }
    }

    @Test
    void heartbeatsCarryNoEventId() {
        String channel = "heartbeat:" + Runs.newChannelId();
        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel))) {
            client.awaitReady();
            long offset = Runs.emitContent(channel, 1, "before the pause");
            client.awaitData(1, Duration.ofSeconds(10));
            // The test profile sends a heartbeat every second.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.comments().size() >= 2);

            assertEquals(List.of("ping", "ping"), client.comments().subList(0, 2));
            assertEquals(1, client.data().size());
            assertEquals(1, offset);
            List<SseClient.Frame> frames = client.frames();
            assertNull(frames.get(frames.size() - 1).event(), "heartbeats dispatch no frame");
            assertEquals(client.data().get(0).id(), client.lastEventId(), "heartbeats leave the resume id alone");
        }
    }
}
