package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.channel.AppendResult;
import dev.orderly.channel.ChannelLog;
import dev.orderly.channel.GenerateEvent;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;

/**
 * A burst of concurrent appends fanned out to many subscribers of one channel. Each subscriber gets every offset
 * once, in order, unless it is closed as slow with a cursor and then resumes from it to the same result.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class BurstFanOutTest extends SubscriberTestBase {

    private static final Logger LOG = Logger.getLogger(BurstFanOutTest.class);
    private static final int SUBSCRIBERS = 50;
    private static final int EVENTS = 5000;
    /** Appends in flight at once. Redis runs the append scripts one at a time, in arrival order. */
    private static final int CONCURRENT_APPENDS = 64;

    /** One append of the burst: the sequence id in its data and where it landed. */
    private record Appended(long sequenceId, AppendResult result) {
    }

    @Inject
    ChannelLog log;

    @Inject
    MeterRegistry meters;

    @Test
    void burstReachesFiftySubscribers() {
        String channel = "burst:" + Runs.newChannelId();
        URI uri = subscribeUri(channel);
        double closedSlowBefore = meters.counter("orderly.subscribers.closed.slow").count();
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                clients.add(SseClient.openCompact(uri));
            }
            clients.forEach(SseClient::awaitReady);

            List<Appended> appended = Multi.createFrom().range(1, EVENTS + 1)
                    .onItem().transformToUni(sequenceId -> log.append(channel, GenerateEvent.NAME,
                                    content(sequenceId), null)
                            .map(result -> new Appended(sequenceId, result)))
                    .merge(CONCURRENT_APPENDS)
                    .collect().asList()
                    .await().atMost(Duration.ofSeconds(60));
            List<Long> sequenceIdsByOffset = sequenceIdsByOffset(appended);

            int closedAsSlow = 0;
            for (SseClient client : clients) {
                if (receiveAllOrError(client)) {
                    closedAsSlow++;
                    assertResumesToAll(uri, client, sequenceIdsByOffset);
                } else {
                    assertEveryEventOnce(client.compactData(), sequenceIdsByOffset);
                    assertFalse(client.ended(), "the stream of a subscriber that kept up stays open");
                }
                assertEquals(List.of(), client.named("gap"));
                assertEquals(List.of(), client.named("reset"));
            }

            LOG.infof("%d of %d subscribers were closed as slow during a burst of %d events", closedAsSlow,
                    SUBSCRIBERS, EVENTS);
            assertEquals(closedSlowBefore + closedAsSlow, meters.counter("orderly.subscribers.closed.slow").count(),
                    "subscribers closed as slow, by the server's count");
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    /**
     * Waits until the client has every event or an {@code error} frame, and returns whether it was closed. A stream
     * that ends in any other way fails the wait.
     */
    private static boolean receiveAllOrError(SseClient client) {
        client.awaitFrames(named -> named.stream().anyMatch(frame -> "error".equals(frame.event()))
                || client.compactData().size() >= EVENTS, Duration.ofSeconds(60));
        return !client.named("error").isEmpty();
    }

    /**
     * Checks that a subscriber closed as slow resumes from its error frame's cursor right after its last event and
     * then receives everything up to the last offset.
     */
    private static void assertResumesToAll(URI uri, SseClient closed, List<Long> sequenceIdsByOffset) {
        JsonNode error = Frames.json(closed.named("error").get(0));
        assertEquals("slow-subscriber", error.get("reason").asText());
        List<SseClient.Frame> named = closed.frames();
        assertEquals("error", named.get(named.size() - 1).event(), "no named frame follows the error frame");
        List<SseClient.CompactFrame> before = closed.compactData();
        String cursor = error.get("cursor").asText();
        String lastId = before.isEmpty() ? closed.named("ready").get(0).id() : before.get(before.size() - 1).id();
        assertEquals(lastId, cursor, "the error frame's cursor is the id of the last frame received");

        try (SseClient resumed = SseClient.openCompact(uri, cursor)) {
            List<SseClient.CompactFrame> rest = resumed.awaitCompactData(EVENTS - before.size(),
                    Duration.ofSeconds(60));
            List<SseClient.CompactFrame> all = new ArrayList<>(before);
            all.addAll(rest);

            assertEveryEventOnce(all, sequenceIdsByOffset);
            assertEquals(List.of(), resumed.named("error"));
        }
    }

    /**
     * Checks that {@code frames} carry offsets 1..EVENTS once each, in order, each with the sequence id appended at
     * that offset.
     */
    private static void assertEveryEventOnce(List<SseClient.CompactFrame> frames, List<Long> sequenceIdsByOffset) {
        assertEquals(Frames.range(1, EVENTS), frames.stream().map(SseClient.CompactFrame::offset).toList(),
                "offsets received");
        assertEquals(sequenceIdsByOffset, frames.stream().map(SseClient.CompactFrame::sequenceId).toList(),
                "sequence ids received, in offset order");
    }

    /** Returns the sequence id appended at each offset, checking that the offsets are exactly 1..EVENTS. */
    private static List<Long> sequenceIdsByOffset(List<Appended> appended) {
        List<Appended> byOffset = appended.stream()
                .sorted(Comparator.comparingLong(append -> append.result().offset()))
                .toList();
        assertEquals(Frames.range(1, EVENTS), byOffset.stream().map(append -> append.result().offset()).toList(),
                "offsets of the appends");
        return byOffset.stream().map(Appended::sequenceId).toList();
    }

    private static String content(long sequenceId) {
        return "{\"type\":\"content\",\"data\":{\"messageId\":\"m\",\"sequenceId\":" + sequenceId
                + ",\"content\":\"burst event " + sequenceId + "\"}}";
    }
}
