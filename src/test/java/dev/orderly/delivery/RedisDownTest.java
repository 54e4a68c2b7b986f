package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A subscription that cannot start because Redis is down says so at once, without losing its position. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class RedisDownTest extends SubscriberTestBase {

    @Test
    void failedStartKeepsResumePosition() {
        Assumptions.assumeTrue(EmbeddedRedisResource.isEmbedded(), "needs the embedded Redis to stop it");
        String channel = "down:" + Runs.newChannelId();
        for (int i = 1; i <= 5; i++) {
            Runs.emitContent(channel, i, "event " + i);
        }
        String epoch = redis.execute("HGET", "orderly:{" + channel + "}:meta", "epoch").toString();
        String resumeFrom = epoch + "-3";

        JsonNode resumed;
        JsonNode fresh;
        EmbeddedRedisResource.stopRedis();
        try {
            resumed = firstError(SseClient.open(subscribeUri(channel), resumeFrom));
            fresh = firstError(SseClient.open(subscribeUri(channel)));
        } finally {
            EmbeddedRedisResource.startRedis();
        }

        assertEquals("redis-unavailable", resumed.get("reason").asText());
        assertEquals(resumeFrom, resumed.get("cursor").asText(), "the requested position, not 0-0");
        assertEquals("redis-unavailable", fresh.get("reason").asText());
        assertTrue(fresh.get("cursor").isNull(), "a new subscription has no position yet: " + fresh);

        try (SseClient again = SseClient.open(subscribeUri(channel), resumed.get("cursor").asText())) {
            List<SseClient.Frame> rest = again.awaitData(2, Duration.ofSeconds(30));

            assertEquals(List.of(4L, 5L), Frames.offsets(rest));
        }
    }

    private static JsonNode firstError(SseClient client) {
        try (client) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !client.named("error").isEmpty());
            return Frames.json(client.named("error").get(0));
        }
    }
}
