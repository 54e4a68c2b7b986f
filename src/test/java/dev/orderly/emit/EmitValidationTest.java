package dev.orderly.emit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.orderly.support.EmbeddedRedisResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** {@code POST /api/channels/{channel}/events}: offsets of accepted events, and rejection before Redis. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class EmitValidationTest {

    private static final String EVENTS = "/api/channels/{channel}/events";
    private static final String VALID_DATA =
            "{\"type\":\"content\",\"data\":{\"messageId\":\"m1\",\"sequenceId\":1,\"content\":\"hi\"}}";
    private static final String VALID_BODY = "{\"event\":\"generate.event\",\"data\":" + VALID_DATA + "}";
    private static final String EPOCH = "[0-9a-f]{16}";

    @Inject
    RedisDataSource redis;

    @Test
    void firstEmitReturnsOffsetOne() {
        JsonPath result = emit(freshChannel("emit"), VALID_BODY)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();

        assertEquals(Set.of("epoch", "offset", "replayed"), result.getMap("$").keySet());
        assertTrue(result.getString("epoch").matches(EPOCH), result.getString("epoch"));
        assertEquals(1L, result.getLong("offset"));
        assertFalse(result.getBoolean("replayed"));
    }

    @Test
    void secondEmitTakesNextOffset() {
        String channel = freshChannel("emit");

        JsonPath first = emit(channel, VALID_BODY).then().statusCode(200).extract().jsonPath();
        JsonPath second = emit(channel, VALID_BODY).then().statusCode(200).extract().jsonPath();

        assertEquals(1L, first.getLong("offset"));
        assertEquals(2L, second.getLong("offset"));
        assertEquals(first.getString("epoch"), second.getString("epoch"));
        assertFalse(second.getBoolean("replayed"));
    }

    static List<Arguments> invalidChannels() {
        String id = UUID.randomUUID().toString();
        String tooLong = ("emit-invalid-" + id + "-").repeat(6).substring(0, 257);
        return List.of(
                Arguments.of("space", "emit invalid " + id, "may contain only"),
                Arguments.of("opening brace", "emit{invalid-" + id, "may contain only"),
                Arguments.of("closing brace", "emit}invalid-" + id, "may contain only"),
                Arguments.of("asterisk", "emit*invalid-" + id, "may contain only"),
                Arguments.of("257 characters", tooLong, "has 257 characters, the maximum is 256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidChannels")
    void rejectsInvalidChannel(String description, String channel, String reason) {
        Response response = emit(channel, VALID_BODY);

        Map<String, Object> problem = assertProblem(response, 400, "channel");
        assertTrue(((String) problem.get("detail")).contains(reason), (String) problem.get("detail"));
        assertEquals(abbreviated(channel), problem.get("value"));
        assertNothingWritten(channel);
    }

    @Test
    void acceptsChannelOf256Characters() {
        String channel = ("emit-" + UUID.randomUUID() + "-").repeat(8).substring(0, 256);

        emit(channel, VALID_BODY).then().statusCode(200);
    }

    static List<Arguments> invalidBodies() {
        return List.of(
                Arguments.of("unknown event", "{\"event\":\"generate.other\",\"data\":" + VALID_DATA + "}",
                        400, "event", "'generate.other' is unknown"),
                Arguments.of("missing event", "{\"data\":" + VALID_DATA + "}",
                        400, "event", "is missing"),
                Arguments.of("missing data", "{\"event\":\"generate.event\"}",
                        422, "data", "is missing"),
                Arguments.of("unknown type", body("{\"type\":\"x\",\"data\":"
                        + "{\"messageId\":\"m1\",\"sequenceId\":1,\"content\":\"hi\"}}"),
                        422, "data.type", "content, complete"),
                Arguments.of("sequenceId 0", body("{\"type\":\"content\",\"data\":"
                        + "{\"messageId\":\"m1\",\"sequenceId\":0,\"content\":\"hi\"}}"),
                        422, "data.data.sequenceId", "1"),
                Arguments.of("sequenceId string", body("{\"type\":\"content\",\"data\":"
                        + "{\"messageId\":\"m1\",\"sequenceId\":\"1\",\"content\":\"hi\"}}"),
                        422, "data.data.sequenceId", "integer"),
                Arguments.of("sequenceId above long range", body("{\"type\":\"content\",\"data\":"
                        + "{\"messageId\":\"m1\",\"sequenceId\":9223372036854775808,\"content\":\"hi\"}}"),
                        422, "data.data.sequenceId", "integer"),
                Arguments.of("sequenceId fraction", body("{\"type\":\"content\",\"data\":"
                        + "{\"messageId\":\"m1\",\"sequenceId\":1.5,\"content\":\"hi\"}}"),
                        422, "data.data.sequenceId", "integer"),
                Arguments.of("messageId number", body("{\"type\":\"content\",\"data\":"
                        + "{\"messageId\":5,\"sequenceId\":1,\"content\":\"hi\"}}"),
                        422, "data.data.messageId", "string"),
                Arguments.of("missing messageId", body("{\"type\":\"content\",\"data\":"
                        + "{\"sequenceId\":1,\"content\":\"hi\"}}"),
                        422, "data.data.messageId", "null"),
                Arguments.of("unknown field in data", body("{\"type\":\"content\",\"data\":"
                        + "{\"messageId\":\"m1\",\"sequenceId\":1,\"content\":\"hi\",\"priority\":1}}"),
                        422, "data.data.priority", "not a known field"),
                Arguments.of("unknown top-level field", "{\"event\":\"generate.event\",\"data\":" + VALID_DATA
                        + ",\"priority\":1}",
                        400, "priority", "not a known field"),
                Arguments.of("duplicate data field", "{\"event\":\"generate.event\",\"data\":" + VALID_DATA
                        + ",\"data\":" + VALID_DATA + "}",
                        400, "data", "data"),
                Arguments.of("malformed JSON", "{bad",
                        400, "body", "not valid JSON"),
                Arguments.of("empty body", "",
                        400, "body", "missing"),
                Arguments.of("array body", "[]",
                        400, "body", "an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void rejectsInvalidBody(String description, String body, int status, String field, String reason) {
        String channel = freshChannel("emit-invalid");

        Response response = emit(channel, body);

        Map<String, Object> problem = assertProblem(response, status, field);
        assertTrue(((String) problem.get("detail")).contains(reason), (String) problem.get("detail"));
        assertNothingWritten(channel);
    }

    private static String body(String data) {
        return "{\"event\":\"generate.event\",\"data\":" + data + "}";
    }

    private static Response emit(String channel, String body) {
        return given()
                .contentType(ContentType.JSON)
                .pathParam("channel", channel)
                .body(body)
                .when()
                .post(EVENTS);
    }

    /**
     * Checks the RFC 9457-style body: exactly type, title, status, detail and field, plus value when there is
     * one, with the detail naming the field.
     */
    private static Map<String, Object> assertProblem(Response response, int status, String field) {
        response.then().statusCode(status).contentType(ContentType.JSON);
        Map<String, Object> problem = response.jsonPath().getMap("$");

        Set<String> keys = new HashSet<>(Set.of("type", "title", "status", "detail", "field"));
        if (problem.containsKey("value")) {
            keys.add("value");
        }
        assertEquals(keys, problem.keySet(), problem.toString());
        assertEquals("invalid-request", problem.get("type"));
        assertEquals(status == 422 ? "Unprocessable Content" : "Bad Request", problem.get("title"));
        assertEquals(status, problem.get("status"));
        assertEquals(field, problem.get("field"));
        assertTrue(((String) problem.get("detail")).contains(field), (String) problem.get("detail"));
        return problem;
    }

    private void assertNothingWritten(String channel) {
        String prefix = "orderly:{" + channel + "}";
        assertFalse(redis.key().exists(prefix + ":meta"), "meta hash of " + channel + " exists");
        assertFalse(redis.key().exists(prefix + ":log"), "stream of " + channel + " exists");
        // Channel names may contain glob characters, so the keys are filtered here, not by the KEYS pattern.
        List<String> channelKeys = redis.key().keys("orderly:*").stream()
                .filter(key -> key.startsWith(prefix))
                .toList();
        assertEquals(List.of(), channelKeys, "keys of " + channel);
    }

    /** Returns {@code value} as a problem body carries it: cut to 200 characters plus the original length. */
    private static String abbreviated(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "… (" + value.length() + " characters)";
    }

    private static String freshChannel(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
