package dev.orderly.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.orderly.channel.ChannelKeys;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Released;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A Redis restart (with an fsynced append-only file) costs emitters 503 responses and subscribers latency, but no
 * acknowledged event and no reset.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class RedisRestartTest extends SubscriberTestBase {

    private static final int ACKNOWLEDGED_BEFORE_STOP = 100;
    private static final int ACKNOWLEDGED_IN_ALL = 200;
    private static final int ATTEMPTS_WHILE_STOPPED = 20;
    private static final int MAX_ATTEMPTS_AFTER_RESTART = 400;

    /** Timeouts per emit, so an emit that never gets a response fails the test instead of stalling it. */
    private static final RestAssuredConfig EMIT_TIMEOUTS = RestAssured.config()
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.connection.timeout", 5_000)
                    .setParam("http.socket.timeout", 10_000));

    /** The outcome of one emit: its status and, for 200, its position, otherwise the problem's type and detail. */
    private record Attempt(long sequenceId, int status, String epoch, long offset, String type, String detail) {

        boolean acknowledged() {
            return status == 200;
        }

        @Override
        public String toString() {
            String outcome = acknowledged() ? "offset " + offset : type + ": " + detail;
            return "#" + sequenceId + " " + status + " " + outcome;
        }
    }

    @Test
    void acknowledgedEmitsSurviveRedisRestart() {
        Assumptions.assumeTrue(EmbeddedRedisResource.isEmbedded(), "needs the embedded Redis to restart it");
        String channel = "generate:" + Runs.newChannelId();
        ChannelKeys keys = ChannelKeys.of(channel);
        List<Attempt> beforeStop = new ArrayList<>();
        List<Attempt> whileStopped = new ArrayList<>();
        List<Attempt> afterRestart = new ArrayList<>();

        try (SseClient subscriber = SseClient.open(subscribeUri(channel))) {
            subscriber.awaitReady();
            for (int i = 0; i < ACKNOWLEDGED_BEFORE_STOP; i++) {
                beforeStop.add(emit(channel, i + 1));
            }

            EmbeddedRedisResource.stopRedis();
            try {
                for (int i = 0; i < ATTEMPTS_WHILE_STOPPED; i++) {
                    whileStopped.add(emit(channel, ACKNOWLEDGED_BEFORE_STOP + i + 1));
                }
            } finally {
                EmbeddedRedisResource.startRedis();
            }

            // Polling paces the emits, so a pool that needs a moment to reconnect does not use up the attempts.
            Awaitility.await("200 acknowledged emits in all")
                    .atMost(Duration.ofSeconds(60))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        long sequenceId = ACKNOWLEDGED_BEFORE_STOP + ATTEMPTS_WHILE_STOPPED + afterRestart.size() + 1;
                        afterRestart.add(emit(channel, sequenceId));
                        return acknowledged(afterRestart).size() == ACKNOWLEDGED_IN_ALL - ACKNOWLEDGED_BEFORE_STOP
                                || afterRestart.size() == MAX_ATTEMPTS_AFTER_RESTART;
                    });
            Awaitility.await("pub/sub subscription restored")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Released.subscribers(redis, keys.live()) == 1);
            List<SseClient.Frame> frames = subscriber.awaitData(ACKNOWLEDGED_IN_ALL, Duration.ofSeconds(60));

            for (Attempt attempt : beforeStop) {
                assertEquals(200, attempt.status(), attempt.toString());
            }
            for (Attempt attempt : whileStopped) {
                assertEquals(503, attempt.status(), attempt.toString());
                assertEquals("redis-unavailable", attempt.type(), attempt.toString());
                assertTrue(String.valueOf(attempt.detail()).contains("Redis"), attempt.toString());
            }
            for (Attempt attempt : afterRestart) {
                boolean unavailable = attempt.status() == 503 && "redis-unavailable".equals(attempt.type());
                assertTrue(attempt.acknowledged() || unavailable, "only 200 or 503 after the restart: " + attempt);
            }
            List<Attempt> acknowledged = new ArrayList<>(beforeStop);
            acknowledged.addAll(acknowledged(afterRestart));
            assertEquals(ACKNOWLEDGED_IN_ALL, acknowledged.size(), "acknowledged emits; after the restart: "
                    + afterRestart);
            String epoch = acknowledged.get(0).epoch();
            assertEquals(List.of(epoch), acknowledged.stream().map(Attempt::epoch).distinct().toList(),
                    "the restart kept the epoch");
            assertEquals(Frames.range(1, ACKNOWLEDGED_IN_ALL), acknowledged.stream().map(Attempt::offset).toList());

            assertEquals(acknowledged.stream().map(Attempt::sequenceId).toList(), Frames.sequenceIds(frames));
            assertEquals(Frames.range(1, ACKNOWLEDGED_IN_ALL), Frames.offsets(frames));
            assertEquals(List.of(epoch), frames.stream().map(frame -> Frames.json(frame).get("epoch").asText())
                    .distinct().toList());
            assertEquals(List.of(), subscriber.named("reset"));
            assertEquals(List.of(), subscriber.named("gap"));
            assertEquals(List.of(), subscriber.named("error"), "the connection stayed open");
            assertEquals(ACKNOWLEDGED_IN_ALL, redis.execute("XLEN", keys.log()).toLong(), "events in the stream");
            assertEquals(ACKNOWLEDGED_IN_ALL, redis.execute("HGET", keys.meta(), "top").toLong(), "channel top");
        }
    }

    private static List<Attempt> acknowledged(List<Attempt> attempts) {
        return attempts.stream().filter(Attempt::acknowledged).toList();
    }

    private static Attempt emit(String channel, long sequenceId) {
        Response response = given()
                .config(EMIT_TIMEOUTS)
                .contentType(ContentType.JSON)
                .body(Map.of("event", "generate.event", "data", Map.of("type", "content",
                        "data", Map.of("messageId", "m", "sequenceId", sequenceId, "content", "c" + sequenceId))))
                .when()
                .post("/api/channels/{channel}/events", channel);
        if (response.statusCode() == 200) {
            return new Attempt(sequenceId, 200, response.jsonPath().getString("epoch"),
                    response.jsonPath().getLong("offset"), null, null);
        }
        String type = response.contentType().startsWith(ContentType.JSON.toString())
                ? response.jsonPath().getString("type") : null;
        String detail = type == null ? response.asString() : response.jsonPath().getString("detail");
        return new Attempt(sequenceId, response.statusCode(), null, -1, type, detail);
    }
}
