package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;


import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.channel.ChannelKeys;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Notices a subscriber receives when the history it needs is gone, restarted, or was never published live. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class HistoryNoticeTest extends SubscriberTestBase {

    @Test
    void trimmedHistoryGivesGapThenRetainedEvents() {
        String channel = "gap:" + Runs.newChannelId();
        emit(channel, 20);
        redis.execute("XTRIM", ChannelKeys.of(channel).log(), "MAXLEN", "5");

        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel + "&since=2"))) {
            List<SseClient.Frame> data = client.awaitData(5, Duration.ofSeconds(10));

            assertEquals(Frames.range(16, 20), Frames.offsets(data));
            List<SseClient.Frame> gaps = client.named("gap");
            assertEquals(1, gaps.size());
            JsonNode gap = Frames.json(gaps.get(0));
            assertEquals(channel, gap.get("channel").asText());
            assertEquals(3, gap.get("fromOffset").asLong());
            assertEquals(15, gap.get("toOffset").asLong());
            assertEquals("trimmed", gap.get("reason").asText());
            assertEquals(List.of("ready", "gap"), client.frames().subList(0, 2).stream()
                    .map(SseClient.Frame::event).toList());
        }
    }

    @Test
    void otherEpochGivesResetThenWholeHistory() {
        String channel = "reset:" + Runs.newChannelId();
        emit(channel, 5);
        String staleCursor = "0123456789abcdef-3";

        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel), staleCursor)) {
            List<SseClient.Frame> data = client.awaitData(5, Duration.ofSeconds(10));

            assertEquals(Frames.range(1, 5), Frames.offsets(data));
            JsonNode reset = Frames.json(client.named("reset").get(0));
            assertEquals("0123456789abcdef", reset.get("previousEpoch").asText());
            assertEquals(Frames.json(data.get(0)).get("epoch").asText(), reset.get("epoch").asText());
            assertEquals("epoch-changed", reset.get("reason").asText());
        }
    }

    @Test
    void resumePointAheadOfHistoryGivesReset() {
        String channel = "ahead:" + Runs.newChannelId();
        emit(channel, 5);

        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel + "&since=50"))) {
            List<SseClient.Frame> data = client.awaitData(5, Duration.ofSeconds(10));

            assertEquals(Frames.range(1, 5), Frames.offsets(data));
            assertEquals("ahead-of-history", Frames.json(client.named("reset").get(0)).get("reason").asText());
        }
    }

    @Test
    void unpublishedEventIsFilledFromStream() {
        String channel = "fill:" + Runs.newChannelId();
        emit(channel, 2);
        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel))) {
            client.awaitReady();
            appendWithoutPublish(channel, 3);
            Runs.emitContent(channel, 4, "published");
            List<SseClient.Frame> data = client.awaitData(2, Duration.ofSeconds(10));

            assertEquals(List.of(3L, 4L), Frames.offsets(data));
            assertEquals("not published", Frames.json(data.get(0)).at("/data/data/content").asText());
            assertEquals(List.of(), client.named("gap"));
        }
    }

    @Test
    void lastUnpublishedEventArrivesByPositionCheck() {
        String channel = "last:" + Runs.newChannelId();
        emit(channel, 2);
        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel))) {
            client.awaitReady();
            appendWithoutPublish(channel, 3);
            // No later event reveals the missing offset; the position check (every second in tests) must.
            List<SseClient.Frame> data = client.awaitData(1, Duration.ofSeconds(10));

            assertEquals(List.of(3L), Frames.offsets(data));
            assertEquals("not published", Frames.json(data.get(0)).at("/data/data/content").asText());
        }
    }

    private static void emit(String channel, int count) {
        for (int i = 1; i <= count; i++) {
            Runs.emitContent(channel, i, "event " + i);
        }
    }

    /** Appends an event as the append script does but without the live publish, like a lost pub/sub message. */
    private void appendWithoutPublish(String channel, long sequenceId) {
        ChannelKeys keys = ChannelKeys.of(channel);
        long offset = redis.execute("HINCRBY", keys.meta(), "top", "1").toLong();
        String data = "{\"type\":\"content\",\"data\":{\"messageId\":\"m\",\"sequenceId\":" + sequenceId
                + ",\"content\":\"not published\"}}";
        redis.execute("XADD", keys.log(), offset + "-0", "event", "generate.event", "data", data, "emittedAt",
                Long.toString(System.currentTimeMillis()));
    }
}
