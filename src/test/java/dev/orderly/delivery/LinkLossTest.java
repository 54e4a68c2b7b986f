package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.orderly.channel.ChannelKeys;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Frames;
import dev.orderly.support.Released;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Losing the instance's Redis pub/sub link costs subscribers latency, not events. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class LinkLossTest extends SubscriberTestBase {

    @Inject
    MeterRegistry meters;

    @Test
    void killedLinkLosesNoEvent() {
        String channelId = Runs.newChannelId();
        String live = ChannelKeys.of("generate:" + channelId).live();
        double dropsBefore = meters.counter("orderly.pubsub.link.drops").count();
        double restoresBefore = meters.counter("orderly.pubsub.link.restores").count();

        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=generate:" + channelId))) {
            client.awaitReady();
            CompletableFuture<JsonPath> run = Runs.start(channelId, 500, 1, 200, 2);
            client.awaitData(200, Duration.ofSeconds(30));
            long killed = redis.execute("CLIENT", "KILL", "TYPE", "pubsub").toLong();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Released.subscribers(redis, live) == 1);
            List<SseClient.Frame> frames = client.awaitData(501, Duration.ofSeconds(30));
            run.join();

            assertEquals(1, killed, "pub/sub connections killed");
            assertEquals(Frames.range(1, 501), Frames.sequenceIds(frames));
            assertEquals(List.of(), client.named("error"), "the connection stayed open");
            assertEquals(List.of(), client.named("gap"));
            assertEquals(dropsBefore + 1, meters.counter("orderly.pubsub.link.drops").count());
            assertEquals(restoresBefore + 1, meters.counter("orderly.pubsub.link.restores").count());
        }
    }
}
