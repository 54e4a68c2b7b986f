package dev.orderly.access;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
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
 * Channel access tokens on subscribe and emit: each kind of bad token gets its status, a valid one works through
 * every place a token can travel, and no token ever reaches a log line.
 */
@QuarkusTest
@TestProfile(AccessTokenProfile.class)
@QuarkusTestResource(EmbeddedRedisResource.class)
class AccessTokenTest extends SubscriberTestBase {

    private static final String SECRET = AccessTokenProfile.SECRET;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static LogCapture logs;

    @Inject
    AccessTokens tokens;

    @Inject
    MeterRegistry meters;
    private static final List<String> issued = new ArrayList<>();

    @BeforeAll
    static void captureLogs() {
        logs = LogCapture.install();
    }

    @AfterAll
    static void stopCapturing() {
        logs.uninstall();
    }

    @AfterEach
    void noTokenLogged() {
        for (String line : logs.lines()) {
            for (String token : issued) {
                assertFalse(line.contains(token), "a log line carries a token: " + line);
                String signature = token.substring(token.lastIndexOf('.') + 1);
                assertFalse(!signature.isEmpty() && line.contains(signature),
                        "a log line carries a token's signature: " + line);
            }
        }
    }

    @Test
    void rejectionLoggedWithoutToken() {
        String channel = Runs.newChannelId();
        String forged = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel)),
                "a-secret-this-service-does-not-know-of-40"));

        URI uri = subscribeUri(channel, AccessGuard.QUERY_PARAMETER + "=" + forged);

        // The capture must see the rejection, or the check after each test would prove nothing. The request is
        // repeated because rejections beyond a number per second are counted rather than logged.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    assertEquals(401, get(uri, Map.of()).status());
                    assertTrue(logs.lines().stream().anyMatch(line -> line.contains("Rejected request: the access "
                            + "token's signature is invalid")), "no rejection line among " + logs.lines().size()
                            + " log lines");
                });
    }

    @Test
    void subscribeWithoutTokenIs401() {
        String channel = Runs.newChannelId();

        Result result = get(subscribeUri(channel), Map.of());

        assertEquals(401, result.status());
        assertEquals("Bearer", result.header("WWW-Authenticate"));
        assertEquals("unauthorized", result.json().getString("type"));
        assertEquals("Unauthorized", result.json().getString("title"));
        assertEquals(401, result.json().getInt("status"));
        assertEquals("Authorization", result.json().getString("field"));
        assertTrue(result.json().getString("detail").contains("access_token query parameter"),
                result.json().getString("detail"));
    }

    @Test
    void expiredTokenIs401() {
        String channel = Runs.newChannelId();
        String expired = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel),
                Instant.now().minusSeconds(3600)), SECRET));

        Result result = get(subscribeUri(channel), bearer(expired));

        assertEquals(401, result.status());
        assertEquals("Bearer error=\"invalid_token\"", result.header("WWW-Authenticate"));
        assertEquals("the access token has expired; get a new token", result.json().getString("detail"));
        assertEquals("Authorization", result.json().getString("field"));
        assertNull(result.json().getString("value"));
    }

    @Test
    void wrongSignatureIs401() {
        String channel = Runs.newChannelId();
        String forged = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel)),
                "another-secret-that-is-long-enough-to-sign"));

        Result result = get(subscribeUri(channel), bearer(forged));

        assertEquals(401, result.status());
        assertEquals("the access token's signature is invalid: it was not signed with this service's secret "
                + "(orderly.auth.token-secret)", result.json().getString("detail"));
    }

    @Test
    void algorithmNoneIs401() {
        String channel = Runs.newChannelId();
        String unsigned = issue(Tokens.unsigned(Tokens.claims("subscribe emit", List.of("*"))));

        Result subscribe = get(subscribeUri(channel), bearer(unsigned));
        Response emit = emit(channel, bearer(unsigned));

        assertEquals(401, subscribe.status());
        assertTrue(subscribe.json().getString("detail").startsWith("the access token is invalid"),
                subscribe.json().getString("detail"));
        assertEquals(401, emit.statusCode());
        assertNothingWritten(channel);
    }

    @Test
    void otherAlgorithmIs401() {
        String channel = Runs.newChannelId();
        String hs512 = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel)),
                SECRET + SECRET, AlgorithmIdentifiers.HMAC_SHA512));

        Result result = get(subscribeUri(channel), bearer(hs512));

        assertEquals(401, result.status());
        assertTrue(result.json().getString("detail").startsWith("the access token is invalid"),
                result.json().getString("detail"));
    }

    @Test
    void malformedHeaderIs401() {
        String channel = Runs.newChannelId();

        Result notJwt = get(subscribeUri(channel), Map.of("Authorization", "Bearer not-a-jwt"));
        Result basic = get(subscribeUri(channel), Map.of("Authorization", "Basic dXNlcjpwYXNz"));

        assertEquals(401, notJwt.status());
        assertEquals(401, basic.status());
        assertEquals("the Authorization header must be \"Bearer <token>\"", basic.json().getString("detail"));
    }

    @Test
    void malformedClaimsAre401() {
        String channel = Runs.newChannelId();
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        long iat = Instant.now().getEpochSecond();
        Map<String, String> payloads = Map.ofEntries(
                Map.entry("not JSON", "not json at all"),
                Map.entry("channels as a string", "{\"iat\":" + iat + ",\"exp\":" + exp + ",\"scope\":\"subscribe\","
                        + "\"channels\":\"" + channel + "\"}"),
                Map.entry("channels with a number", "{\"iat\":" + iat + ",\"exp\":" + exp + ",\"scope\":\"subscribe\","
                        + "\"channels\":[\"" + channel + "\",7]}"),
                Map.entry("channels with null", "{\"iat\":" + iat + ",\"exp\":" + exp + ",\"scope\":\"subscribe\","
                        + "\"channels\":[null,\"" + channel + "\"]}"),
                Map.entry("scope as a number", "{\"iat\":" + iat + ",\"exp\":" + exp + ",\"scope\":42,"
                        + "\"channels\":[\"" + channel + "\"]}"),
                Map.entry("exp as a string", "{\"iat\":" + iat + ",\"exp\":\"tomorrow\",\"scope\":\"subscribe\","
                        + "\"channels\":[\"" + channel + "\"]}"),
                Map.entry("no exp", "{\"iat\":" + iat + ",\"scope\":\"subscribe\",\"channels\":[\"" + channel + "\"]}"),
                Map.entry("iat in the future", "{\"iat\":" + (iat + 3600) + ",\"exp\":" + (exp + 3600)
                        + ",\"scope\":\"subscribe\",\"channels\":[\"" + channel + "\"]}"),
                Map.entry("no iat", "{\"exp\":" + exp + ",\"scope\":\"subscribe\",\"channels\":[\"" + channel + "\"]}"),
                Map.entry("iat after exp", "{\"iat\":" + (exp + 10) + ",\"exp\":" + exp + ",\"scope\":\"subscribe\","
                        + "\"channels\":[\"" + channel + "\"]}"),
                Map.entry("exp beyond the range of dates", "{\"iat\":" + iat + ",\"exp\":100000000000000000,"
                        + "\"scope\":\"subscribe\",\"channels\":[\"" + channel + "\"]}"));

        for (Map.Entry<String, String> payload : payloads.entrySet()) {
            String token = issue(Tokens.signPayload(payload.getValue(), SECRET));

            Result result = get(subscribeUri(channel), bearer(token));

            assertEquals(401, result.status(), payload.getKey());
            assertEquals("unauthorized", result.json().getString("type"), payload.getKey());
            assertEquals("Bearer error=\"invalid_token\"", result.header("WWW-Authenticate"), payload.getKey());
        }
    }

    @Test
    void basicHeaderLeavesQueryToken() {
        String channel = Runs.newChannelId();
        String token = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel)), SECRET));
        URI uri = subscribeUri(channel, AccessGuard.QUERY_PARAMETER + "=" + encode(token));

        // A browser may send Basic credentials it keeps for the origin along with every EventSource request.
        try (SseClient client = SseClient.openWithHeaders(uri, Map.of("Authorization", "Basic dXNlcjpwYXNz"))) {
            assertEquals("ready", client.awaitReady().event());
        }
        Result bareBearer = get(uri, Map.of("Authorization", "Bearer"));
        assertEquals(401, bareBearer.status());
        assertEquals("the Authorization header has no token after \"Bearer\"", bareBearer.json().getString("detail"));
        Result basicOnly = get(subscribeUri(channel), Map.of("Authorization", "Basic dXNlcjpwYXNz"));
        assertEquals(401, basicOnly.status());
        assertEquals("the Authorization header must be \"Bearer <token>\"", basicOnly.json().getString("detail"));
    }

    @Test
    void repeatedTokenIs401() {
        String channel = Runs.newChannelId();
        String token = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel)), SECRET));
        HttpRequest twoHeaders = HttpRequest.newBuilder(subscribeUri(channel))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Authorization", "Bearer another")
                .GET()
                .build();

        Result headers = send(twoHeaders);
        Result cookies = get(subscribeUri(channel), Map.of("Cookie", "orderly_token=" + token + "; orderly_token=x"));

        assertEquals(401, headers.status());
        assertEquals("the Authorization header is given 2 times; give one", headers.json().getString("detail"));
        assertEquals(401, cookies.status());
        assertEquals("the orderly_token cookie is given 2 times; send one", cookies.json().getString("detail"));
    }

    @Test
    void matrixParametersRejected() {
        String channel = Runs.newChannelId();
        List<String> paths = List.of("/api;x=1/reports", "/api;x=1/test-realtime", "/api/test-realtime;x=1",
                "/api;/probes", "/api;x=1/channels/" + channel + "/events");

        for (String path : paths) {
            Response response = given()
                    .contentType(ContentType.JSON)
                    .urlEncodingEnabled(false)
                    .body(Map.of("channelId", channel, "count", 1, "minSize", 1, "maxSize", 1, "delayMs", 0))
                    .post(path);

            assertEquals(400, response.statusCode(), path);
            assertEquals("path", response.jsonPath().getString("field"), path);
            assertEquals("path must not contain ';': matrix parameters are not supported",
                    response.jsonPath().getString("detail"), path);
        }
        assertNothingWritten(channel);
    }

    @Test
    void channelNotCoveredIs403() {
        String allowed = "orders:" + Runs.newChannelId();
        String other = "billing:" + Runs.newChannelId();
        String token = issue(Tokens.sign(Tokens.claims("subscribe", List.of("orders:*")), SECRET));

        Result result = get(subscribeUri(other), bearer(token));

        assertEquals(403, result.status());
        assertEquals("Bearer error=\"insufficient_scope\"", result.header("WWW-Authenticate"));
        assertEquals("forbidden", result.json().getString("type"));
        assertEquals("channel", result.json().getString("field"));
        assertEquals(other, result.json().getString("value"));
        assertEquals("the access token does not cover channel " + other + ": its channels are [orders:*]. Use a "
                + "token whose channels claim names it or a pattern that matches it",
                result.json().getString("detail"));
        try (SseClient covered = SseClient.openWithHeaders(subscribeUri(allowed), bearer(token))) {
            assertEquals("ready", covered.awaitReady().event());
        }
    }

    @Test
    void everyChannelMustBeCovered() {
        String first = Runs.newChannelId();
        String second = Runs.newChannelId();
        String token = issue(Tokens.sign(Tokens.claims("subscribe", List.of(first)), SECRET));

        Result result = get(subscribeUri(first, "channel=" + second), bearer(token));

        assertEquals(403, result.status());
        assertEquals(second, result.json().getString("value"));
    }

    @Test
    void subscribeOnlyTokenCannotEmit() {
        String channel = Runs.newChannelId();
        String token = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel)), SECRET));

        Response response = emit(channel, bearer(token));

        assertEquals(403, response.statusCode());
        assertEquals("the access token does not allow emit: its scope is \"subscribe\". Use a token whose scope "
                + "includes emit", response.jsonPath().getString("detail"));
        assertEquals(channel, response.jsonPath().getString("value"));
        assertNothingWritten(channel);
    }

    @Test
    void emitWithoutTokenIs401() {
        String channel = Runs.newChannelId();
        String token = issue(Tokens.sign(Tokens.claims("emit", List.of(channel)), SECRET));

        Response none = emit(channel, Map.of());
        Response inCookie = emit(channel, Map.of("Cookie", "orderly_token=" + token));
        Response inQuery = given()
                .contentType(ContentType.JSON)
                .queryParam(AccessGuard.QUERY_PARAMETER, token)
                .body(Runs.contentEvent(1, "event 1"))
                .post("/api/channels/{channel}/events", channel);

        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.header("WWW-Authenticate"));
        assertEquals(401, inCookie.statusCode());
        assertEquals(401, inQuery.statusCode());
        assertTrue(inQuery.jsonPath().getString("detail").contains("only GET /api/realtime"),
                inQuery.jsonPath().getString("detail"));
        assertNothingWritten(channel);
    }

    @Test
    void validTokenEmitsAndQueryParameterSubscribes() {
        String channel = Runs.newChannelId();
        String subscriber = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel)), SECRET));
        String emitter = issue(Tokens.sign(Tokens.claims("emit", List.of(channel)), SECRET));
        URI uri = subscribeUri(channel, AccessGuard.QUERY_PARAMETER + "=" + encode(subscriber));

        // EventSource sends no headers, so the query parameter is how a browser passes the token.
        try (SseClient client = SseClient.open(uri)) {
            client.awaitReady();
            for (long sequenceId = 1; sequenceId <= 3; sequenceId++) {
                Response response = emit(channel, bearer(emitter), sequenceId);
                assertEquals(200, response.statusCode(), response.asString());
                assertEquals(sequenceId, response.jsonPath().getLong("offset"));
            }

            List<SseClient.Frame> data = client.awaitData(3, Duration.ofSeconds(10));
            assertEquals(List.of(1L, 2L, 3L), Frames.offsets(data));
            assertEquals(List.of(1L, 2L, 3L), Frames.sequenceIds(data));
        }
    }

    @Test
    void cookieSubscribes() {
        String channel = Runs.newChannelId();
        String token = issue(Tokens.sign(Tokens.claims("subscribe emit", List.of(channel)), SECRET));

        // An empty query parameter counts as absent, so it does not hide the cookie.
        URI emptyQuery = subscribeUri(channel, AccessGuard.QUERY_PARAMETER + "=");
        try (SseClient client = SseClient.openWithHeaders(emptyQuery, Map.of("Cookie", "orderly_token=" + token))) {
            client.awaitReady();
            assertEquals(200, emit(channel, bearer(token)).statusCode());

            assertEquals(List.of(1L), Frames.offsets(client.awaitData(1, Duration.ofSeconds(10))));
        }
    }

    @Test
    void historyNeedsTokenLikeLive() {
        String channel = Runs.newChannelId();
        String emitter = issue(Tokens.sign(Tokens.claims("emit", List.of(channel)), SECRET));
        for (long sequenceId = 1; sequenceId <= 5; sequenceId++) {
            assertEquals(200, emit(channel, bearer(emitter), sequenceId).statusCode());
        }
        String otherChannel = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel + "x")), SECRET));
        String covering = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel)), SECRET));

        Result denied = get(subscribeUri(channel, "since=0"), bearer(otherChannel));
        Result emitterReplay = get(subscribeUri(channel, "since=0"), bearer(emitter));

        assertEquals(403, denied.status());
        assertEquals(403, emitterReplay.status());
        try (SseClient replay = SseClient.openWithHeaders(subscribeUri(channel, "since=0"), bearer(covering))) {
            List<SseClient.Frame> data = replay.awaitData(5, Duration.ofSeconds(10));
            assertEquals(Frames.range(1, 5), Frames.offsets(data));
        }
    }

    @Test
    void verifiedTokenReusedUntilExpiry() {
        String channel = Runs.newChannelId();
        String token = issue(Tokens.sign(Tokens.claims("subscribe", List.of(channel), Instant.now().plusSeconds(2)),
                SECRET));

        AccessGrant first = tokens.verify(token, "Authorization");
        AccessGrant second = tokens.verify(token, "Authorization");

        assertSame(first, second);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().isAfter(first.expiresAt()));
        AccessDeniedException expired = assertThrows(AccessDeniedException.class,
                () -> tokens.verify(token, "Authorization"));
        assertEquals("expired", expired.reason());
    }

    @Test
    void deniedRequestsAreCounted() {
        String channel = Runs.newChannelId();
        double before = deniedCount("missing");

        get(subscribeUri(channel), Map.of());
        emit(channel, Map.of());

        assertEquals(before + 2, deniedCount("missing"));
    }

    private static String issue(String token) {
        issued.add(token);
        return token;
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static Response emit(String channel, Map<String, String> headers) {
        return emit(channel, headers, 1);
    }

    private static Response emit(String channel, Map<String, String> headers, long sequenceId) {
        return Runs.emit(channel, sequenceId, "event " + sequenceId, headers);
    }

    private void assertNothingWritten(String channel) {
        assertEquals(List.of(), redis.key().keys("*" + channel + "*"), "keys of channel " + channel);
    }

    private double deniedCount(String reason) {
        return Meters.count(meters, "orderly.access.denied", "reason", reason);
    }

    /** A response to a GET of the SSE endpoint; a 200 stream is closed at once and has no body here. */
    private record Result(int status, HttpResponse<InputStream> response, JsonPath json) {

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    private static Result get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    private static Result send(HttpRequest request) {
        URI uri = request.uri();
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() == 200) {
                    return new Result(200, response, null);
                }
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                return new Result(response.statusCode(), response, JsonPath.from(text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during GET " + uri, e);
        }
    }
}
