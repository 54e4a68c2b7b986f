package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.channel.ChannelKeys;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.TightHistoryProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Response;

/**
 * Resuming against a short history (about 100 events kept) that is read one entry per Redis round trip. The
 * retained part arrives exactly, the trimmed part is announced with one {@code gap} frame, and a slow replay
 * next to a fast producer loses nothing.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
@TestProfile(TightHistoryProfile.class)
class TightHistoryTest extends SubscriberTestBase {

    /** Events of each reproduction run here: 999 content events and the complete event. */
    private static final int RUN_EVENTS = 1000;

    @Test
    void retainedHistoryResumesExactly() {
        String channelId = Runs.newChannelId();
        String channel = "generate:" + channelId;
        Runs.run(channelId, RUN_EVENTS - 1, 1, 10, 0);
        // MAXLEN ~ 100 removes only whole stream nodes, so it may leave slightly more than 100 entries but not
        // fewer (Redis XTRIM documentation), and offsets 901..1000 stay. The assertion checks that premise.
        long firstRetained = firstRetainedOffset(channel);
        assertTrue(firstRetained <= 901, "offsets 901..1000 are retained, the first retained is " + firstRetained);

        try (SseClient client = SseClient.open(subscribeUri(channel, "since=900"))) {
            List<SseClient.Frame> data = client.awaitData(100, Duration.ofSeconds(30));
            awaitHeartbeat(client);

            assertEquals(Frames.range(901, RUN_EVENTS), Frames.offsets(client.data()));
            assertEquals(Frames.range(901, RUN_EVENTS), Frames.sequenceIds(data));
            String epoch = Frames.json(data.get(0)).get("epoch").asText();
            assertEquals(epoch + "-900", client.named("ready").get(0).id());
            assertEquals(List.of(), client.named("gap"));
            assertEquals(List.of(), client.named("reset"));
            assertEquals(List.of(), client.named("error"));
        }
    }

    @Test
    void trimmedHistoryGivesGapThenRetained() {
        String channelId = Runs.newChannelId();
        String channel = "generate:" + channelId;
        Runs.run(channelId, RUN_EVENTS - 1, 1, 10, 0);
        long firstRetained = firstRetainedOffset(channel);
        assertTrue(firstRetained > 451, "offset 451 was trimmed, the first retained is " + firstRetained);

        try (SseClient client = SseClient.open(subscribeUri(channel, "since=450"))) {
            int retained = (int) (RUN_EVENTS - firstRetained + 1);
            List<SseClient.Frame> data = client.awaitData(retained, Duration.ofSeconds(30));
            awaitHeartbeat(client);

            assertEquals(Frames.range(firstRetained, RUN_EVENTS), Frames.offsets(client.data()));
            List<SseClient.Frame> gaps = client.named("gap");
            assertEquals(1, gaps.size(), "gap frames");
            JsonNode gap = Frames.json(gaps.get(0));
            assertEquals(channel, gap.get("channel").asText());
            assertEquals(Frames.json(data.get(0)).get("epoch").asText(), gap.get("epoch").asText());
            assertEquals(451, gap.get("fromOffset").asLong());
            assertEquals(firstRetained - 1, gap.get("toOffset").asLong());
            assertEquals("trimmed", gap.get("reason").asText());
            assertEquals(Arrays.asList("ready", "gap", null), client.frames().subList(0, 3).stream()
                    .map(SseClient.Frame::event).toList(), "the gap comes before the first retained event");
            assertEquals(List.of(), client.named("reset"));
        }
    }

    @Test
    void joinsDuringFastProducerWithoutLoss() {
        String channelId = Runs.newChannelId();
        String channel = "generate:" + channelId;
        int events = 2000;
        CompletableFuture<JsonPath> run = Runs.start(channelId, events - 1, 1, 50, 1);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> top(channel) >= 300);
        // The resume point is 50 behind the top, not 100, because MAXLEN ~ 100 may trim the entry exactly 100
        // behind on the next append, which would rightly give a gap. The entry 50 behind survives 50 more appends.
        long since = top(channel) - 50;

        try (SseClient late = SseClient.open(subscribeUri(channel, "since=" + since))) {
            late.awaitReady();
            long topAtReady = top(channel);
            List<SseClient.Frame> data = late.awaitData((int) (events - since), Duration.ofSeconds(30));
            run.join();
            awaitHeartbeat(late);

            assertTrue(topAtReady < events, "the producer was still emitting when the subscriber started");
            assertEquals(Frames.range(since + 1, events), Frames.offsets(late.data()));
            assertEquals(Frames.range(since + 1, events), Frames.sequenceIds(data));
            assertEquals(List.of(), late.named("gap"));
            assertEquals(List.of(), late.named("reset"));
            assertEquals(List.of(), late.named("error"));
        }
    }

    /**
     * Waits for a heartbeat that arrives after everything received so far. The server sends one only when the
     * connection has no frame queued, so a duplicate queued behind the expected frames would show up first.
     */
    private static void awaitHeartbeat(SseClient client) {
        int before = client.comments().size();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.comments().size() > before);
    }

    private long firstRetainedOffset(String channel) {
        Response first = redis.execute("XRANGE", ChannelKeys.of(channel).log(), "-", "+", "COUNT", "1");
        assertEquals(1, first.size(), "entries returned by XRANGE COUNT 1");
        String id = first.get(0).get(0).toString();
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    private long top(String channel) {
        Response top = redis.execute("HGET", ChannelKeys.of(channel).meta(), "top");
        return top == null ? 0 : top.toLong();
    }
}
