package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;


import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Resuming with Last-Event-ID after repeated cuts, from an older id, and after an idle period. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class ResumeCutsTest extends SubscriberTestBase {

    @Test
    void resumesAfterTwoCuts() {
        String channelId = Runs.newChannelId();
        URI uri = subscribeUri("generate:" + channelId);
        CompletableFuture<JsonPath> run;
        List<SseClient.Frame> received = new ArrayList<>();

        try (SseClient first = SseClient.open(uri)) {
            first.awaitReady();
            run = Runs.start(channelId, 100, 1, 5000, 5);
            first.awaitData(40, Duration.ofSeconds(30));
            received.addAll(cut(first));
        }
        try (SseClient second = SseClient.open(uri, lastId(received))) {
            second.awaitData(70 - received.size(), Duration.ofSeconds(30));
            received.addAll(cut(second));
        }
        try (SseClient third = SseClient.open(uri, lastId(received))) {
            received.addAll(third.awaitData(101 - received.size(), Duration.ofSeconds(30)));
            assertEquals(List.of(), third.named("gap"));
            assertEquals(List.of(), third.named("reset"));
        }
        JsonPath result = run.orTimeout(60, TimeUnit.SECONDS).join();

        assertEquals(Frames.range(1, 101), Frames.sequenceIds(received));
        assertEquals(result.getList("offsets", Long.class), Frames.offsets(received));
        assertEquals(result.getString("epoch") + "-101", lastId(received));
    }

    @Test
    void olderIdRepeatsEventsAndReportCountsDuplicates() {
        String channelId = Runs.newChannelId();
        URI uri = subscribeUri("generate:" + channelId);
        JsonPath run;
        List<SseClient.Frame> whole;
        List<SseClient.Frame> repeated;

        try (SseClient first = SseClient.open(uri)) {
            first.awaitReady();
            run = Runs.run(channelId, 100, 1, 5000, 5);
            whole = first.awaitData(101, Duration.ofSeconds(30));
        }
        assertEquals(Frames.range(1, 101), Frames.sequenceIds(whole));
        String fiftieth = whole.get(49).id();
        assertEquals(run.getString("epoch") + "-50", fiftieth);

        try (SseClient second = SseClient.open(uri, fiftieth)) {
            repeated = second.awaitData(51, Duration.ofSeconds(30));
            assertEquals(List.of(), second.named("gap"));
            assertEquals(List.of(), second.named("reset"));
        }
        assertEquals(Frames.range(51, 101), Frames.sequenceIds(repeated));

        List<Map<String, Object>> arrivals = new ArrayList<>(Frames.arrivals(whole));
        arrivals.addAll(Frames.arrivals(repeated));
        JsonPath report = Runs.report(run.getString("runId"), arrivals);
        assertEquals(101, report.getInt("expected"));
        assertEquals(152, report.getInt("received"));
        assertEquals(51, report.getInt("duplicateCount"));
        assertEquals(Frames.range(51, 101), report.getList("duplicateIds", Long.class));
        assertEquals(0, report.getInt("missingCount"));
        assertEquals(0, report.getInt("payloadMismatchCount"));
        assertFalse(report.getBoolean("inOrder"));
        assertFalse(report.getBoolean("clean"));
    }

    @Test
    void resumesAfterIdleWithHeartbeats() {
        String channel = "idle:" + Runs.newChannelId();
        URI uri = subscribeUri(channel);
        List<SseClient.Frame> beforeIdle;

        try (SseClient first = SseClient.open(uri)) {
            first.awaitReady();
            for (long sequenceId = 1; sequenceId <= 5; sequenceId++) {
                Runs.emitContent(channel, sequenceId, "event " + sequenceId);
            }
            first.awaitData(5, Duration.ofSeconds(10));
            int commentsBefore = first.comments().size();
            int framesBefore = first.frames().size();
            // The test profile sends a heartbeat every second, so three arrive within a few seconds of idling.
            Awaitility.await("three heartbeats while idle")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> first.comments().size() >= commentsBefore + 3);

            assertEquals(framesBefore, first.frames().size(), "heartbeats dispatch no frame");
            beforeIdle = cut(first);
        }
        assertEquals(Frames.range(1, 5), Frames.offsets(beforeIdle));

        try (SseClient resumed = SseClient.open(uri, lastId(beforeIdle))) {
            resumed.awaitReady();
            for (long sequenceId = 6; sequenceId <= 8; sequenceId++) {
                Runs.emitContent(channel, sequenceId, "event " + sequenceId);
            }
            List<SseClient.Frame> afterIdle = resumed.awaitData(3, Duration.ofSeconds(10));

            assertEquals(Frames.range(6, 8), Frames.offsets(afterIdle));
            assertEquals(lastId(beforeIdle), resumed.named("ready").get(0).id());
            assertEquals(List.of(), resumed.named("gap"));
            assertEquals(List.of(), resumed.named("reset"));
        }
    }

    /** Closes the client, waits until its reader has stopped and returns every data frame it received. */
    private static List<SseClient.Frame> cut(SseClient client) {
        client.close();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(client::ended);
        return client.data();
    }

    private static String lastId(List<SseClient.Frame> frames) {
        return frames.get(frames.size() - 1).id();
    }

    /** Builds the report's arrivals: per frame the sequence id, event type, content length and content checksum. */
}
