package dev.orderly.access;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Meters;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Channel access tokens on the reproduction endpoints and over a subscription's lifetime. A run, its report and a
 * probe each need the permission of their channel. A subscription ends when its token expires, with a cursor that
 * a new token resumes from.
 */
@QuarkusTest
@TestProfile(AccessTokenProfile.class)
@QuarkusTestResource(EmbeddedRedisResource.class)
class ReproductionAccessTest extends SubscriberTestBase {

    @Inject
    MeterRegistry meters;

    private static final String SECRET = AccessTokenProfile.SECRET;

    @Test
    void runNeedsEmitOnItsChannel() {
        String channelId = Runs.newChannelId();
        String subscribeOnly = Tokens.sign(Tokens.claims("subscribe", List.of("generate:*")), SECRET);
        String otherChannels = Tokens.sign(Tokens.claims("emit", List.of("orders:*")), SECRET);
        String emitter = Tokens.sign(Tokens.claims("emit", List.of("generate:" + channelId)), SECRET);

        assertEquals(401, run(channelId, null).statusCode());
        assertEquals(403, run(channelId, subscribeOnly).statusCode());
        Response denied = run(channelId, otherChannels);
        Response allowed = run(channelId, emitter);

        assertEquals(403, denied.statusCode());
        assertEquals("generate:" + channelId, denied.jsonPath().getString("value"));
        assertEquals(200, allowed.statusCode(), allowed.asString());
        assertEquals(3, allowed.jsonPath().getInt("count"));
    }

    @Test
    void reportNeedsSubscribeOnRunChannel() {
        String channelId = Runs.newChannelId();
        String both = Tokens.sign(Tokens.claims("subscribe emit", List.of("generate:" + channelId)), SECRET);
        String emitOnly = Tokens.sign(Tokens.claims("emit", List.of("generate:" + channelId)), SECRET);
        String runId = run(channelId, both).jsonPath().getString("runId");
        Map<String, Object> body = Map.of("runId", runId, "arrivals", List.of());

        Response denied = report(body, emitOnly);
        Response unknownRun = report(Map.of("runId", "0123456789abcdef", "arrivals", List.of()), emitOnly);
        Response allowed = report(body, both);

        assertEquals(403, denied.statusCode());
        // Without subscribe in its scope, a token cannot tell an unknown run from a known one.
        assertEquals(403, unknownRun.statusCode());
        assertEquals("scope", unknownRun.jsonPath().getString("field"));
        assertEquals(200, allowed.statusCode(), allowed.asString());
        assertEquals(4, allowed.jsonPath().getInt("expected"));
        assertEquals(0, allowed.jsonPath().getInt("received"));
    }

    @Test
    void probeSubscribesWithCallerToken() {
        String both = Tokens.sign(Tokens.claims("subscribe emit", List.of("generate:probe-*")), SECRET);
        String emitOnly = Tokens.sign(Tokens.claims("emit", List.of("generate:probe-*")), SECRET);

        Response denied = probe(emitOnly);
        Response allowed = probe(both);

        assertEquals(403, denied.statusCode());
        assertEquals(401, probe(null).statusCode());
        assertEquals(200, allowed.statusCode(), allowed.asString());
        JsonPath result = allowed.jsonPath();
        assertEquals(11, result.getInt("report.expected"));
        assertEquals(11, result.getInt("report.received"));
        assertTrue(result.getBoolean("report.clean"), allowed.asString());
    }

    @Test
    void expiredTokenEndsSubscriptionWithCursor() {
        String channel = Runs.newChannelId();
        String emitter = Tokens.sign(Tokens.claims("emit", List.of(channel)), SECRET);
        String shortLived = Tokens.sign(Tokens.claims("subscribe", List.of(channel), Instant.now().plusSeconds(5)),
                SECRET);
        String renewed = Tokens.sign(Tokens.claims("subscribe", List.of(channel)), SECRET);

        double closedBefore = expiredCloses();
        String cursor;
        try (SseClient first = SseClient.open(withToken(channel, shortLived))) {
            first.awaitReady();
            Runs.emitContent(channel, 1, "one", bearer(emitter));
            Runs.emitContent(channel, 2, "two", bearer(emitter));
            first.awaitData(2, Duration.ofSeconds(10));
            first.awaitFrames(frames -> !first.named("error").isEmpty(), Duration.ofSeconds(15));

            assertEquals(List.of(1L, 2L), Frames.offsets(first.data()));
            JsonPath error = JsonPath.from(first.named("error").get(0).data());
            assertEquals("token-expired", error.getString("reason"));
            cursor = error.getString("cursor");
            assertEquals(first.data().get(1).id(), cursor);
        }
        Runs.emitContent(channel, 3, "three", bearer(emitter));

        try (SseClient resumed = SseClient.open(withToken(channel, renewed), cursor)) {
            assertEquals(List.of(3L), Frames.offsets(resumed.awaitData(1, Duration.ofSeconds(10))));
        }
        assertEquals(closedBefore + 1, expiredCloses());
    }

    private double expiredCloses() {
        return Meters.count(meters, "orderly.subscribers.closed.token.expired");
    }

    @Test
    void probeRejectsShortLivedToken() {
        String shortLived = Tokens.sign(Tokens.claims("subscribe emit", List.of("generate:probe-*"),
                Instant.now().plusSeconds(5)), SECRET);

        Response response = given()
                .contentType(ContentType.JSON)
                .headers(bearer(shortLived))
                .body("{}")
                .post("/api/probes");

        assertEquals(403, response.statusCode(), response.asString());
        assertEquals("Authorization", response.jsonPath().getString("field"));
        assertTrue(response.jsonPath().getString("detail").startsWith("the access token expires at "),
                response.jsonPath().getString("detail"));
    }

    @Test
    void endedStreamKeepsSlotUntilRead() {
        String channelId = Runs.newChannelId();
        String channel = "generate:" + channelId;
        String emitter = Tokens.sign(Tokens.claims("emit", List.of(channel)), SECRET);
        // About 16 MB of history: more than the socket buffers take while the client reads nothing.
        assertEquals(200, run(channelId, emitter, 4000, 4000).statusCode());
        String shortLived = Tokens.sign(Tokens.claims("subscribe", List.of(channel), Instant.now().plusSeconds(4)),
                SECRET);
        int admittedBefore = registry.admittedCount();
        double closedBefore = expiredCloses();

        try (SseClient paused = SseClient.openPaused(URI.create(withToken(channel, shortLived) + "&since=0"))) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> expiredCloses() == closedBefore + 1);

            // The response has ended, but its last frames wait for the client, so the connection keeps its slot.
            Awaitility.await()
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> registry.admittedCount() == admittedBefore + 1);
            paused.resumeReading();
            paused.awaitFrames(frames -> !paused.named("error").isEmpty(), Duration.ofSeconds(60));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> registry.admittedCount() == admittedBefore);
            assertEquals("token-expired", JsonPath.from(paused.named("error").get(0).data()).getString("reason"));
        }
    }

    private URI withToken(String channel, String token) {
        return subscribeUri(channel, AccessGuard.QUERY_PARAMETER + "=" + URLEncoder.encode(token,
                StandardCharsets.UTF_8));
    }

    private static Map<String, String> bearer(String token) {
        return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    private static Response run(String channelId, String token) {
        return given()
                .contentType(ContentType.JSON)
                .headers(bearer(token))
                .body(Map.of("channelId", channelId, "count", 3, "minSize", 1, "maxSize", 10, "delayMs", 0))
                .post("/api/test-realtime");
    }

    private static Response run(String channelId, String token, int count, int size) {
        return given()
                .contentType(ContentType.JSON)
                .headers(bearer(token))
                .body(Map.of("channelId", channelId, "count", count, "minSize", size, "maxSize", size, "delayMs", 0))
                .post("/api/test-realtime");
    }

    private static Response report(Map<String, Object> body, String token) {
        return given()
                .contentType(ContentType.JSON)
                .headers(bearer(token))
                .body(body)
                .post("/api/reports");
    }

    private static Response probe(String token) {
        return given()
                .contentType(ContentType.JSON)
                .headers(bearer(token))
                .body(Map.of("count", 10, "minSize", 1, "maxSize", 100, "delayMs", 0))
                .post("/api/probes");
    }
}
