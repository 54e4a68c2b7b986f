package dev.orderly.support;

import static io.restassured.RestAssured.given;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Starts reproduction runs and emits events through the public API, as a client would. */
public final class Runs {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Runs() {
    }

    /** Returns a fresh channel id, so tests never share a channel. */
    public static String newChannelId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Posts a reproduction run and returns its response body once every event is emitted. */
    public static JsonPath run(String channelId, int count, int minSize, int maxSize, int delayMs) {
        return given()
                .contentType(ContentType.JSON)
                .body(Map.of("channelId", channelId, "count", count, "minSize", minSize, "maxSize", maxSize,
                        "delayMs", delayMs))
                .when()
                .post("/api/test-realtime")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Posts a reproduction run on another thread, so the test can watch deliveries while it runs. */
    public static CompletableFuture<JsonPath> start(String channelId, int count, int minSize, int maxSize,
            int delayMs) {
        return CompletableFuture.supplyAsync(() -> run(channelId, count, minSize, maxSize, delayMs));
    }

    /** Posts arrivals to {@code POST /api/reports} and returns the report. */
    public static JsonPath report(String runId, List<Map<String, Object>> arrivals) {
        return given()
                .contentType(ContentType.JSON)
                .body(Map.of("runId", runId, "arrivals", arrivals))
                .when()
                .post("/api/reports")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Emits one {@code generate.event} content event and returns its offset. */
    public static long emitContent(String channel, long sequenceId, String content) {
        return emitContent(channel, sequenceId, content, Map.of());
    }

    /** Emits as {@link #emitContent(String, long, String)} with extra request headers, such as Authorization. */
    public static long emitContent(String channel, long sequenceId, String content, Map<String, String> headers) {
        return emit(channel, sequenceId, content, headers)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("offset");
    }

    /** Emits one {@code generate.event} content event and returns the response, whatever its status. */
    public static Response emit(String channel, long sequenceId, String content, Map<String, String> headers) {
        return given()
                .contentType(ContentType.JSON)
                .headers(headers)
                .body(contentEvent(sequenceId, content))
                .when()
                .post("/api/channels/{channel}/events", channel);
    }

    /** Returns the emit body of a {@code generate.event} content event; {@code content} may be null. */
    public static Map<String, Object> contentEvent(long sequenceId, String content) {
        Map<String, Object> data = content == null
                ? Map.of("messageId", "m", "sequenceId", sequenceId)
                : Map.of("messageId", "m", "sequenceId", sequenceId, "content", content);
        return Map.of("event", "generate.event", "data", Map.of("type", "content", "data", data));
    }
}
