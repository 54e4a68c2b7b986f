package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** One connection with several channels: one cursor resumes all of them, and the channel list is bounded. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class MultiChannelTest extends SubscriberTestBase {

    /** The default of {@code orderly.delivery.max-channels}. */
    private static final int MAX_CHANNELS = 16;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void threeChannelsResumeWithOneId() {
        List<String> ids = List.of(Runs.newChannelId(), Runs.newChannelId(), Runs.newChannelId());
        List<String> channels = ids.stream().map(id -> "generate:" + id).toList();
        URI uri = URI.create(realtime + "?channel=" + String.join("&channel=", channels));
        List<CompletableFuture<JsonPath>> runs = new ArrayList<>();
        List<SseClient.Frame> beforeCut;
        List<SseClient.Frame> afterCut;

        try (SseClient first = SseClient.open(uri)) {
            first.awaitReady();
            for (String id : ids) {
                runs.add(Runs.start(id, 100, 1, 5000, 2));
            }
            first.awaitData(60, Duration.ofSeconds(30));
            first.close();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(first::ended);
            beforeCut = first.data();
        }
        String cursor = beforeCut.get(beforeCut.size() - 1).id();
        assertEquals(expectedCursor(channels, beforeCut), cursor);

        try (SseClient second = SseClient.open(uri, cursor)) {
            afterCut = second.awaitData(3 * 101 - beforeCut.size(), Duration.ofSeconds(30));
            assertEquals(List.of(), second.named("gap"));
            assertEquals(List.of(), second.named("reset"));
        }
        runs.forEach(run -> run.orTimeout(60, TimeUnit.SECONDS).join());

        for (String channel : channels) {
            List<Long> received = new ArrayList<>(Frames.sequenceIds(ofChannel(channel, beforeCut)));
            received.addAll(Frames.sequenceIds(ofChannel(channel, afterCut)));
            assertEquals(Frames.range(1, 101), received, "sequence ids of " + channel);
        }
    }

    @Test
    void sixteenChannelsAreAccepted() {
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < MAX_CHANNELS; i++) {
            channels.add("many:" + Runs.newChannelId());
        }
        URI uri = URI.create(realtime + "?channel=" + String.join("&channel=", channels));

        try (SseClient client = SseClient.open(uri)) {
            JsonNode ready = Frames.json(client.awaitReady());

            assertEquals(200, client.response().statusCode());
            assertEquals(MAX_CHANNELS, ready.get("channels").size());
            assertEquals(String.join(",", Collections.nCopies(MAX_CHANNELS, "0-0")),
                    ready.get("cursor").asText());
        }
    }

    @Test
    void tooManyChannelsIsRejected() {
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < MAX_CHANNELS + 1; i++) {
            channels.add("many:" + Runs.newChannelId());
        }

        JsonPath problem = SseClient.rejection(URI.create(realtime + "?channel=" + String.join("&channel=", channels)));

        assertEquals("channel", problem.getString("field"));
        assertEquals(String.valueOf(MAX_CHANNELS + 1), problem.getString("value"));
        assertTrue(problem.getString("detail").contains("maximum per connection is " + MAX_CHANNELS),
                "detail: " + problem.getString("detail"));
    }

    @Test
    void repeatedChannelIsRejected() {
        String channel = "twice:" + Runs.newChannelId();
        String other = "other:" + Runs.newChannelId();

        JsonPath problem = SseClient.rejection(URI.create(realtime + "?channel=" + channel + "&channel=" + other
                + "&channel=" + channel));

        assertEquals("channel", problem.getString("field"));
        assertEquals(channel, problem.getString("value"));
        assertTrue(problem.getString("detail").contains("listed twice"), "detail: " + problem.getString("detail"));
    }

    /** Returns the cursor after {@code frames}: per channel, in query order, the epoch and offset last received. */
    private static String expectedCursor(List<String> channels, List<SseClient.Frame> frames) {
        List<String> positions = new ArrayList<>();
        for (String channel : channels) {
            List<SseClient.Frame> own = ofChannel(channel, frames);
            if (own.isEmpty()) {
                positions.add("0-0");
            } else {
                JsonNode last = Frames.json(own.get(own.size() - 1));
                positions.add(last.get("epoch").asText() + "-" + last.get("offset").asLong());
            }
        }
        return String.join(",", positions);
    }

    private static List<SseClient.Frame> ofChannel(String channel, List<SseClient.Frame> frames) {
        return frames.stream().filter(frame -> channel.equals(Frames.json(frame).get("channel").asText())).toList();
    }
}
