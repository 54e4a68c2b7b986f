package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * With the default queue bounds, a subscriber on a slow network is closed with its cursor and resumes, while the
 * fast subscribers of the same channel receive every event.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class SlowReaderTest extends SubscriberTestBase {

    /** The largest count a run accepts, so two runs one after the other put 20,002 events on the channel. */
    private static final int EVENTS_PER_RUN = 10_000;
    private static final int EVENTS = 2 * (EVENTS_PER_RUN + 1);
    private static final int FAST_SUBSCRIBERS = 20;
    /** Far below the rate of a run without delay, so the slow subscriber's queue of 10,000 frames fills. */
    private static final int SLOW_BYTES_PER_SECOND = 10_000;

    @Inject
    MeterRegistry meters;

    @Test
    void slowReaderIsClosedAndResumes() {
        String channelId = Runs.newChannelId();
        URI uri = subscribeUri("generate:" + channelId);
        double closedBefore = meters.counter("orderly.subscribers.closed.slow").count();
        List<SseClient> fast = new ArrayList<>();

        try (SseClient slow = SseClient.openThrottled(uri, SLOW_BYTES_PER_SECOND)) {
            for (int i = 0; i < FAST_SUBSCRIBERS; i++) {
                fast.add(SseClient.openCompact(uri));
            }
            slow.awaitReady();
            fast.forEach(SseClient::awaitReady);
            CompletableFuture<JsonPath> runs = Runs.start(channelId, EVENTS_PER_RUN, 2000, 2000, 0)
                    .thenCompose(first -> Runs.start(channelId, EVENTS_PER_RUN, 2000, 2000, 0));

            List<List<SseClient.CompactFrame>> fastFrames = new ArrayList<>();
            for (SseClient client : fast) {
                fastFrames.add(client.awaitCompactData(EVENTS, Duration.ofSeconds(120)));
            }
            runs.join();
            // Only the server can have closed the slow subscriber: it still reads slowly, yet it left the channel.
            Awaitility.await("slow subscriber closed by the server")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> hub.listenerCount() == FAST_SUBSCRIBERS);
            slow.readAtFullSpeed();
            slow.awaitFrames(frames -> frames.stream().anyMatch(frame -> "error".equals(frame.event())),
                    Duration.ofSeconds(60));

            List<Long> sequenceIds = new ArrayList<>(Frames.range(1, EVENTS_PER_RUN + 1));
            sequenceIds.addAll(Frames.range(1, EVENTS_PER_RUN + 1));
            for (int i = 0; i < FAST_SUBSCRIBERS; i++) {
                List<SseClient.CompactFrame> frames = fastFrames.get(i);
                assertEquals(Frames.range(1, EVENTS), frames.stream().map(SseClient.CompactFrame::offset).toList(),
                        "offsets of fast subscriber " + i);
                assertEquals(sequenceIds, frames.stream().map(SseClient.CompactFrame::sequenceId).toList(),
                        "sequence ids of fast subscriber " + i);
                assertEquals(List.of(), fast.get(i).named("error"), "fast subscriber " + i + " stayed open");
            }
            assertEquals(closedBefore + 1, meters.counter("orderly.subscribers.closed.slow").count());
            JsonNode error = Frames.json(slow.named("error").get(0));
            assertEquals("slow-subscriber", error.get("reason").asText());
            List<SseClient.Frame> beforeClose = slow.data();
            assertTrue(beforeClose.size() < EVENTS, "the slow subscriber was closed before the end of the run");
            String cursor = error.get("cursor").asText();
            assertEquals(beforeClose.get(beforeClose.size() - 1).id(), cursor);

            try (SseClient resumed = SseClient.openCompact(uri, cursor)) {
                List<SseClient.CompactFrame> rest = resumed.awaitCompactData(EVENTS - beforeClose.size(),
                        Duration.ofSeconds(60));
                List<Long> offsets = new ArrayList<>(Frames.offsets(beforeClose));
                rest.forEach(frame -> offsets.add(frame.offset()));
                List<Long> received = new ArrayList<>(Frames.sequenceIds(beforeClose));
                rest.forEach(frame -> received.add(frame.sequenceId()));

                assertEquals(Frames.range(1, EVENTS), offsets);
                assertEquals(sequenceIds, received);
                assertEquals(List.of(), resumed.named("gap"));
            }
        } finally {
            fast.forEach(SseClient::close);
        }
    }
}
