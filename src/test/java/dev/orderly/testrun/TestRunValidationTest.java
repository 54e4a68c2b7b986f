package dev.orderly.testrun;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.support.EmbeddedRedisResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** {@code POST /api/test-realtime}: what a small run emits, and rejection of every invalid parameter. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class TestRunValidationTest {

    private static final String RUN = "/api/test-realtime";
    private static final String HEX_16 = "[0-9a-f]{16}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Marks a field that the request leaves out. */
    private static final Object ABSENT = new Object();

    @Inject
    RedisDataSource redis;

    @Test
    void smallRunEmitsEveryEvent() {
        String channelId = freshChannelId();

        JsonPath result = run(body(channelId, Map.of()))
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();

        assertTrue(result.getString("runId").matches(HEX_16), result.getString("runId"));
        assertTrue(result.getString("epoch").matches(HEX_16), result.getString("epoch"));
        assertEquals("generate:" + channelId, result.getString("channel"));
        assertEquals(3, result.getInt("count"));
        List<Integer> sizes = result.getList("sizes", Integer.class);
        assertEquals(3, sizes.size(), sizes.toString());
        for (int size : sizes) {
            assertTrue(size >= 2, "size " + size + " is below minSize 2");
            assertTrue(size <= 4, "size " + size + " is above maxSize 4");
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), result.getList("offsets", Long.class));
    }

    @Test
    void smallRunFillsChannelStream() {
        String channelId = freshChannelId();

        run(body(channelId, Map.of())).then().statusCode(200);

        List<String> ids = redis.stream(String.class)
                .xrange("orderly:{generate:" + channelId + "}:log", StreamRange.of("-", "+"))
                .stream()
                .map(StreamMessage::id)
                .toList();
        assertEquals(List.of("1-0", "2-0", "3-0", "4-0"), ids);
    }

    static List<Arguments> invalidParameters() {
        return List.of(
                Arguments.of("count 0", Map.of("count", 0), "count", "between 1 and 10000"),
                Arguments.of("count 10001", Map.of("count", 10_001), "count", "between 1 and 10000"),
                Arguments.of("count missing", Map.of("count", ABSENT), "count", "is missing"),
                Arguments.of("count not a number", Map.of("count", "x"), "count", "an integer"),
                Arguments.of("minSize -1", Map.of("minSize", -1), "minSize", "between 0 and 100000"),
                Arguments.of("minSize 100001", Map.of("minSize", 100_001), "minSize", "between 0 and 100000"),
                Arguments.of("maxSize 100001", Map.of("maxSize", 100_001), "maxSize", "between 0 and 100000"),
                Arguments.of("minSize above maxSize", Map.of("minSize", 5, "maxSize", 4), "minSize",
                        "maxSize (4)"),
                Arguments.of("delayMs -1", Map.of("delayMs", -1), "delayMs", "between 0 and 10000"),
                Arguments.of("delayMs 10001", Map.of("delayMs", 10_001), "delayMs", "between 0 and 10000"),
                Arguments.of("channelId missing", Map.of("channelId", ABSENT), "channelId", "is missing"),
                Arguments.of("channelId empty", Map.of("channelId", ""), "channelId", "1 to 247 characters"),
                Arguments.of("channelId with space", Map.of("channelId", "run " + freshChannelId()), "channelId",
                        "letters, digits"),
                Arguments.of("channelId with brace", Map.of("channelId", "run{" + freshChannelId()), "channelId",
                        "letters, digits"),
                Arguments.of("channelId of 248 characters",
                        Map.of("channelId", (freshChannelId() + "-").repeat(16).substring(0, 248)), "channelId",
                        "1 to 247 characters"),
                Arguments.of("unknown field", Map.of("priority", 1), "priority", "not a known field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidParameters")
    void rejectsInvalidParameter(String description, Map<String, Object> overrides, String field, String reason) {
        String channelId = freshChannelId();
        String sentChannelId = overrides.get("channelId") instanceof String given ? given : channelId;
        int runsBefore = runRecordCount();

        Response response = run(body(channelId, overrides));

        Map<String, Object> problem = assertProblem(response, field);
        assertTrue(((String) problem.get("detail")).contains(reason), (String) problem.get("detail"));
        assertFalse(redis.key().exists("orderly:{generate:" + sentChannelId + "}:meta"),
                "channel generate:" + sentChannelId + " was written");
        assertEquals(runsBefore, runRecordCount(), "a run record was saved");
    }

    @Test
    void rejectsEmptyBody() {
        int runsBefore = runRecordCount();

        Response response = run("");

        Map<String, Object> problem = assertProblem(response, "body");
        assertTrue(((String) problem.get("detail")).contains("missing"), (String) problem.get("detail"));
        assertEquals(runsBefore, runRecordCount(), "a run record was saved");
    }

    /** Returns a valid small request, with {@code overrides} replacing or, for {@link #ABSENT}, removing fields. */
    private static String body(String channelId, Map<String, Object> overrides) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("channelId", channelId);
        fields.put("count", 3);
        fields.put("minSize", 2);
        fields.put("maxSize", 4);
        fields.put("delayMs", 0);
        overrides.forEach((key, value) -> {
            if (value == ABSENT) {
                fields.remove(key);
            } else {
                fields.put(key, value);
            }
        });
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body could not be serialized", e);
        }
    }

    private static Response run(String body) {
        return given()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(RUN);
    }

    private static Map<String, Object> assertProblem(Response response, String field) {
        response.then().statusCode(400).contentType(ContentType.JSON);
        Map<String, Object> problem = response.jsonPath().getMap("$");

        Set<String> keys = problem.containsKey("value")
                ? Set.of("type", "title", "status", "detail", "field", "value")
                : Set.of("type", "title", "status", "detail", "field");
        assertEquals(keys, problem.keySet(), problem.toString());
        assertEquals("invalid-request", problem.get("type"));
        assertEquals("Bad Request", problem.get("title"));
        assertEquals(400, problem.get("status"));
        assertEquals(field, problem.get("field"));
        assertTrue(((String) problem.get("detail")).contains(field), (String) problem.get("detail"));
        return problem;
    }

    private int runRecordCount() {
        return redis.key().keys("orderly:run:*").size();
    }

    private static String freshChannelId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
