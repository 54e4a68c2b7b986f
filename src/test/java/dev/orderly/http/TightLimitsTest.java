package dev.orderly.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Released;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Emit rate and per-address connection limits, the reproduction turned off, and CORS for a configured origin. */
@QuarkusTest
@TestProfile(TightLimitsProfile.class)
@QuarkusTestResource(EmbeddedRedisResource.class)
class TightLimitsTest extends SubscriberTestBase {

    private static final String EVENTS = "/api/channels/{channel}/events";
    private static final String BODY = "{\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":"
            + "{\"messageId\":\"m\",\"sequenceId\":1}}}";

    @Inject
    MeterRegistry meters;

    @Test
    void emitAboveRateGets429() {
        String channel = "limits-rate-" + UUID.randomUUID();
        // The first emit after start loads the append script, so a warm-up keeps the burst below inside one second.
        emit("limits-rate-warmup-" + UUID.randomUUID()).then().statusCode(200);
        double before = Limits.rejected(meters, "emit-rate");

        // Tokens refill at 2 per second, so a slow machine may get a third emit in. The first 429 ends the burst.
        int accepted = 0;
        Response rejected = emit(channel);
        while (rejected.statusCode() == 200 && accepted < 10) {
            accepted++;
            rejected = emit(channel);
        }

        assertEquals(429, rejected.statusCode());
        assertTrue(accepted >= 2, "emits accepted before the first 429: " + accepted);
        assertEquals("1", rejected.header("Retry-After"));
        JsonPath problem = rejected.jsonPath();
        assertEquals("limit-exceeded", problem.getString("type"));
        assertEquals("Too Many Requests", problem.getString("title"));
        assertEquals(429, problem.getInt("status"));
        assertEquals("channel", problem.getString("field"));
        assertEquals(channel, problem.getString("value"));
        assertEquals("channel " + channel + " received more than 2 emits per second on this instance "
                + "(orderly.emit.max-rate-per-channel); retry after 1 s", problem.getString("detail"));
        assertEquals(before + 1, Limits.rejected(meters, "emit-rate"));
        assertEquals(accepted, redis.stream(String.class).xlen("orderly:{" + channel + "}:log"));
        assertEquals(String.valueOf(accepted), redis.hash(String.class).hget("orderly:{" + channel + "}:meta", "top"));
    }

    @Test
    void emitRateIsPerChannel() {
        String channel = "limits-rate-" + UUID.randomUUID();
        String other = "limits-rate-" + UUID.randomUUID();

        emit(channel).then().statusCode(200);
        emit(channel).then().statusCode(200);

        emit(other).then().statusCode(200);
    }

    @Test
    void thirdConnectionFromAddressGets429() {
        String third = "limits-conn-" + UUID.randomUUID();
        double before = Limits.rejected(meters, "connections-per-address");

        try (SseClient first = SseClient.open(subscribeUri("limits-conn-" + UUID.randomUUID()));
                SseClient second = SseClient.open(subscribeUri("limits-conn-" + UUID.randomUUID()))) {
            first.awaitReady();
            second.awaitReady();

            Limits.Rejection rejection = Limits.rejectedSubscription(subscribeUri(third));

            assertEquals(429, rejection.status());
            assertEquals("5", rejection.retryAfter());
            assertEquals("limit-exceeded", rejection.body().getString("type"));
            assertEquals(429, rejection.body().getInt("status"));
            assertEquals("address", rejection.body().getString("field"));
            assertEquals("127.0.0.1", rejection.body().getString("value"));
            assertEquals("client address 127.0.0.1 has 2 open SSE connections on this instance, the maximum "
                    + "(orderly.delivery.max-connections-per-address); close one or retry later",
                    rejection.body().getString("detail"));
            assertEquals(before + 1, Limits.rejected(meters, "connections-per-address"));
            assertEquals(0L, Released.subscribers(redis, "orderly:{" + third + "}:live"));
            assertEquals(2, registry.admittedCount());
        }
    }

    @Test
    void connectionSlotIsFreedOnClose() {
        for (int round = 0; round < 3; round++) {
            try (SseClient first = SseClient.open(subscribeUri("limits-conn-" + UUID.randomUUID()));
                    SseClient second = SseClient.open(subscribeUri("limits-conn-" + UUID.randomUUID()))) {
                first.awaitReady();
                second.awaitReady();
            }
            Released.assertAllReleased(redis, registry, hub);
            assertEquals(0, registry.admittedCount());
        }
    }

    @Test
    void reproductionEndpointsAre404() {
        double before = Limits.rejected(meters, "reproduction-disabled");
        List<Response> responses = List.of(
                post("/api/test-realtime", "{\"channelId\":\"x\",\"count\":1,\"minSize\":1,\"maxSize\":1,\"delayMs\":0}"),
                post("/api/reports", "{\"runId\":\"0123456789abcdef\",\"arrivals\":[]}"),
                post("/api/probes", "{}"),
                given().get("/"),
                given().get("/app.js"));

        for (Response response : responses) {
            assertEquals(404, response.statusCode());
            JsonPath problem = response.jsonPath();
            assertEquals("not-found", problem.getString("type"));
            assertEquals(404, problem.getInt("status"));
            assertEquals("path", problem.getString("field"));
            String path = problem.getString("value");
            assertEquals(path + " is not available: the reproduction endpoints and the test page are off. Set "
                    + "orderly.reproduction.enabled=true (environment variable ORDERLY_REPRODUCTION_ENABLED=true) "
                    + "to serve them", problem.getString("detail"));
        }
        assertEquals(before + 5, Limits.rejected(meters, "reproduction-disabled"));
        assertEquals(List.of(), Limits.channelKeys(redis, "generate:x"));
    }

    @Test
    void matrixParameterCannotReachReproduction() {
        Response response = given()
                .contentType("application/json")
                .urlEncodingEnabled(false)
                .body("{\"channelId\":\"matrix\",\"count\":1,\"minSize\":1,\"maxSize\":1,\"delayMs\":0}")
                .post("/api/test-realtime;x=1");

        assertEquals(400, response.statusCode());
        assertEquals("path", response.jsonPath().getString("field"));
        assertEquals("/api/test-realtime;x=1", response.jsonPath().getString("value"));
        assertEquals(List.of(), Limits.channelKeys(redis, "generate:matrix"));
    }

    @Test
    void corsAllowsConfiguredOrigin() {
        Response allowed = given().header("Origin", TightLimitsProfile.ALLOWED_ORIGIN).get("/q/health/live");
        Response other = given().header("Origin", "http://127.0.0.1:3001").get("/q/health/live");

        assertEquals(TightLimitsProfile.ALLOWED_ORIGIN, allowed.header("Access-Control-Allow-Origin"));
        assertNull(other.header("Access-Control-Allow-Origin"));
    }

    private static Response emit(String channel) {
        return post(EVENTS.replace("{channel}", channel), BODY);
    }

    private static Response post(String path, String body) {
        return given().contentType("application/json").body(body).post(path);
    }
}
