package dev.orderly.testrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.orderly.channel.ChannelKeys;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** A run that loses Redis stops at the failed emit, reports what it emitted, and leaves no half-written event. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class InterruptedRunTest {

    @Inject
    RedisDataSource redis;

    @Test
    void runStopsAtFirstFailedEmit() {
        Assumptions.assumeTrue(EmbeddedRedisResource.isEmbedded(), "needs the embedded Redis to stop it");
        String channelId = Runs.newChannelId();
        ChannelKeys keys = ChannelKeys.of("generate:" + channelId);
        CompletableFuture<Response> run = CompletableFuture.supplyAsync(() -> RestAssured.given()
                .contentType(ContentType.JSON)
                .body(Map.of("channelId", channelId, "count", 500, "minSize", 1, "maxSize", 100, "delayMs", 5))
                .post("/api/test-realtime"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> top(keys) >= 50);

        JsonPath problem;
        try {
            EmbeddedRedisResource.stopRedis();
            Response response = run.join();
            assertEquals(503, response.statusCode(), response.asString());
            problem = response.jsonPath();
        } finally {
            EmbeddedRedisResource.startRedis();
        }

        List<Long> emitted = problem.getList("emitted", Long.class);
        assertEquals("redis-unavailable", problem.getString("type"));
        assertTrue(emitted.size() >= 50, "emitted before the failure: " + emitted.size());
        assertEquals(Frames.range(1, emitted.size()), emitted);
        assertTrue(problem.getString("detail").contains("stopped after emitting " + emitted.size() + " of 501"),
                problem.getString("detail"));
        // The emit in flight when Redis stopped may have been applied without its reply arriving. Either way the
        // counter and the stream agree, because the append is one script.
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> top(keys) > 0);
        long top = top(keys);
        assertTrue(top == emitted.size() || top == emitted.size() + 1, "top " + top);
        assertEquals(top, redis.execute("XLEN", keys.log()).toLong());
    }

    private long top(ChannelKeys keys) {
        var reply = redis.execute("HGET", keys.meta(), "top");
        return reply == null ? 0 : reply.toLong();
    }
}
