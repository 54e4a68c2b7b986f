package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** A subscriber that stops reading is closed with its cursor and resumes; the others are not held back. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
@TestProfile(SlowSubscriberTest.SmallQueue.class)
class SlowSubscriberTest extends SubscriberTestBase {

    /** A queue of 200 frames, so a stalled client overflows it within a few thousand events. */
    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("orderly.delivery.max-queued-frames", "200");
        }
    }

    @Inject
    MeterRegistry meters;

    @Test
    void stalledSubscriberIsClosedThenResumes() {
        String channelId = Runs.newChannelId();
        URI uri = URI.create(realtime + "?channel=generate:" + channelId);
        double closedBefore = meters.counter("orderly.subscribers.closed.slow").count();

        try (SseClient fast = SseClient.open(uri); SseClient stalled = SseClient.openPaused(uri)) {
            fast.awaitReady();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.listenerCount() == 2);
            CompletableFuture<JsonPath> run = Runs.start(channelId, 4000, 2000, 2000, 0);

            List<SseClient.Frame> all = fast.awaitData(4001, Duration.ofSeconds(60));
            run.join();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.listenerCount() == 1);
            stalled.resumeReading();
            stalled.awaitFrames(frames -> frames.stream().anyMatch(frame -> "error".equals(frame.event())),
                    Duration.ofSeconds(30));

            assertEquals(Frames.range(1, 4001), Frames.sequenceIds(all));
            assertEquals(closedBefore + 1, meters.counter("orderly.subscribers.closed.slow").count());
            JsonNode error = Frames.json(stalled.named("error").get(0));
            assertEquals("slow-subscriber", error.get("reason").asText());
            List<SseClient.Frame> beforeClose = stalled.data();
            assertTrue(beforeClose.size() < 4001, "the stalled client was closed before the end of the run");
            String cursor = error.get("cursor").asText();
            assertEquals(beforeClose.get(beforeClose.size() - 1).id(), cursor);

            try (SseClient resumed = SseClient.open(uri, cursor)) {
                List<SseClient.Frame> rest = resumed.awaitData(4001 - beforeClose.size(), Duration.ofSeconds(30));
                List<Long> received = new ArrayList<>(Frames.sequenceIds(beforeClose));
                received.addAll(Frames.sequenceIds(rest));

                assertEquals(Frames.range(1, 4001), received);
            }
        }
    }
}
