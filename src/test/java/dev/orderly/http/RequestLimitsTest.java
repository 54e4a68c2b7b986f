package dev.orderly.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Body and event size limits, the test page's Content-Security-Policy and CORS with the default settings. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class RequestLimitsTest {

    private static final String EVENTS = "/api/channels/{channel}/events";
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final int MAX_EVENT_BYTES = 1024 * 1024;
    private static final String CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'self'";

    @TestHTTPResource("/api/channels/")
    URL events;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry meters;

    @Test
    void oversizedBodyGets413() {
        String channel = "limits-body-" + UUID.randomUUID();
        String body = emitBody("x".repeat(MAX_BODY_BYTES));
        double before = Limits.rejected(meters, "body-size");

        JsonPath problem = emit(channel, body)
                .then()
                .statusCode(413)
                .header("Connection", "close")
                .extract()
                .jsonPath();

        assertEquals("limit-exceeded", problem.getString("type"));
        assertEquals("Content Too Large", problem.getString("title"));
        assertEquals(413, problem.getInt("status"));
        assertEquals("body", problem.getString("field"));
        assertEquals(body.length() + " bytes", problem.getString("value"));
        assertEquals("body has " + body.length() + " bytes, the maximum is " + MAX_BODY_BYTES
                + " (quarkus.http.limits.max-body-size)", problem.getString("detail"));
        assertEquals(before + 1, Limits.rejected(meters, "body-size"));
        assertEquals(List.of(), Limits.channelKeys(redis, channel));
    }

    @Test
    void oversizedEventGets413() {
        String channel = "limits-event-" + UUID.randomUUID();
        String content = "x".repeat(MAX_EVENT_BYTES);
        int dataBytes = ("{\"type\":\"content\",\"data\":{\"messageId\":\"m\",\"sequenceId\":1,\"content\":\""
                + content + "\"}}").length();
        double before = Limits.rejected(meters, "event-size");

        JsonPath problem = emit(channel, emitBody(content)).then().statusCode(413).extract().jsonPath();

        assertEquals("limit-exceeded", problem.getString("type"));
        assertEquals(413, problem.getInt("status"));
        assertEquals("data", problem.getString("field"));
        assertEquals(dataBytes + " bytes", problem.getString("value"));
        assertEquals("data has " + dataBytes + " bytes of JSON, the maximum is " + MAX_EVENT_BYTES
                + " (orderly.emit.max-event-bytes)", problem.getString("detail"));
        assertEquals(before + 1, Limits.rejected(meters, "event-size"));
        assertEquals(List.of(), Limits.channelKeys(redis, channel));
    }

    @Test
    void eventAtLimitIsAppended() {
        String channel = "limits-event-" + UUID.randomUUID();
        String envelope = "{\"type\":\"content\",\"data\":{\"messageId\":\"m\",\"sequenceId\":1,\"content\":\"\"}}";
        String content = "x".repeat(MAX_EVENT_BYTES - envelope.length());

        emit(channel, emitBody(content)).then().statusCode(200);

        assertEquals(1L, redis.stream(String.class).xlen("orderly:{" + channel + "}:log"));
    }

    @Test
    void chunkedBodyGets411() throws Exception {
        String channel = "limits-chunked-" + UUID.randomUUID();
        byte[] body = emitBody("hi").getBytes(StandardCharsets.UTF_8);
        // A body of unknown length goes out chunked on HTTP/1.1.
        HttpRequest request = HttpRequest.newBuilder(URI.create(events + channel + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(411, response.statusCode());
        JsonPath problem = JsonPath.from(response.body());
        assertEquals("Content-Length", problem.getString("field"));
        assertEquals("Content-Length is missing: send the body with a Content-Length header, not chunked",
                problem.getString("detail"));
        assertEquals(List.of(), Limits.channelKeys(redis, channel));
    }

    @Test
    void pageHasContentSecurityPolicy() {
        for (String path : List.of("/", "/index.html", "/app.js", "/app.css")) {
            given().get(path).then().statusCode(200).header("Content-Security-Policy", CSP);
        }
    }

    @Test
    void apiHasNoContentSecurityPolicy() {
        Response emitted = emit("limits-csp-" + UUID.randomUUID(), emitBody("hi"));
        Response openapi = given().get("/q/openapi");

        assertEquals(200, emitted.statusCode());
        assertNull(emitted.header("Content-Security-Policy"));
        assertNull(openapi.header("Content-Security-Policy"));
    }

    @Test
    void corsIsOffByDefault() {
        Response response = given()
                .header("Origin", "http://127.0.0.1:3000")
                .contentType("application/json")
                .body(emitBody("hi"))
                .post(EVENTS, "limits-cors-" + UUID.randomUUID());

        assertEquals(200, response.statusCode());
        assertNull(response.header("Access-Control-Allow-Origin"));
    }

    private static String emitBody(String content) {
        return "{\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\"m\","
                + "\"sequenceId\":1,\"content\":\"" + content + "\"}}}";
    }

    private static Response emit(String channel, String body) {
        return given().contentType("application/json").body(body).post(EVENTS, channel);
    }
}
