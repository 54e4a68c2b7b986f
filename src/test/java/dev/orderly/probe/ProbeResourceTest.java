package dev.orderly.probe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** {@code POST /api/probes}: a run delivered over loopback SSE, its report and latency, and input validation. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class ProbeResourceTest extends SubscriberTestBase {

    private static final String PROBES = "/api/probes";

    @Test
    void defaultProbeIsClean() {
        JsonPath result = probe("{}");

        assertTrue(result.getString("runId").matches("[0-9a-f]{16}"), result.getString("runId"));
        assertTrue(result.getString("channel").matches("generate:probe-[0-9a-f]{16}"), result.getString("channel"));
        assertEquals(result.getString("channel"), result.getString("report.channel"));
        assertEquals(result.getString("runId"), result.getString("report.runId"));
        assertEquals(101, result.getInt("report.expected"));
        assertEquals(101, result.getInt("report.received"));
        assertEquals(0, result.getInt("report.missingCount"));
        assertEquals(0, result.getInt("report.duplicateCount"));
        assertEquals(0, result.getInt("report.payloadMismatchCount"));
        assertTrue(result.getBoolean("report.inOrder"));
        assertTrue(result.getBoolean("report.clean"));
        assertEquals(Frames.range(1, 101), result.getList("report.arrivalOrder", Long.class));
        assertFalse(result.getBoolean("timedOut"));
        assertEquals(List.of(), result.getList("notices"));
        assertLatencyOrdered(result);
        assertTrue(result.getLong("durationMs") >= 0, "durationMs " + result.getLong("durationMs"));
    }

    @Test
    void emptyBodyRunsDefaultProbe() {
        JsonPath result = given()
                .contentType(ContentType.JSON)
                .when()
                .post(PROBES)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertEquals(101, result.getInt("report.expected"));
        assertEquals(101, result.getInt("report.received"));
        assertTrue(result.getBoolean("report.clean"));
    }

    @Test
    void smallProbeIsClean() {
        JsonPath result = probe("{\"count\": 3, \"minSize\": 2, \"maxSize\": 4, \"delayMs\": 0}");

        assertEquals(4, result.getInt("report.expected"));
        assertEquals(4, result.getInt("report.received"));
        assertEquals(0, result.getInt("report.missingCount"));
        assertEquals(0, result.getInt("report.duplicateCount"));
        assertTrue(result.getBoolean("report.inOrder"));
        assertTrue(result.getBoolean("report.clean"));
        assertEquals(List.of(1L, 2L, 3L, 4L), result.getList("report.arrivalOrder", Long.class));
        List<Map<String, Object>> events = result.getList("report.events");
        for (int i = 0; i < 3; i++) {
            int size = (Integer) events.get(i).get("receivedSize");
            assertTrue(size >= 2, "size " + size + " of event " + (i + 1) + " is below minSize 2");
            assertTrue(size <= 4, "size " + size + " of event " + (i + 1) + " is above maxSize 4");
        }
        assertEquals("complete", events.get(3).get("type"));
        assertLatencyOrdered(result);
    }

    @Test
    void stressProbeIsClean() {
        JsonPath result = probe("{\"count\": 1000, \"delayMs\": 0}");

        assertEquals(1001, result.getInt("report.expected"));
        assertEquals(1001, result.getInt("report.received"));
        assertEquals(0, result.getInt("report.missingCount"));
        assertEquals(0, result.getInt("report.duplicateCount"));
        assertEquals(0, result.getInt("report.payloadMismatchCount"));
        assertTrue(result.getBoolean("report.inOrder"));
        assertTrue(result.getBoolean("report.clean"));
        assertFalse(result.getBoolean("timedOut"));
        assertLatencyOrdered(result);
    }

    static List<Arguments> invalidParameters() {
        return List.of(
                Arguments.of("count 0", "{\"count\": 0}", "count", "between 1 and 10000"),
                Arguments.of("count 10001", "{\"count\": 10001}", "count", "between 1 and 10000"),
                Arguments.of("count not a number", "{\"count\": \"x\"}", "count", "an integer"),
                Arguments.of("minSize -1", "{\"minSize\": -1}", "minSize", "between 0 and 100000"),
                Arguments.of("maxSize 100001", "{\"maxSize\": 100001}", "maxSize", "between 0 and 100000"),
                Arguments.of("minSize above maxSize", "{\"minSize\": 5, \"maxSize\": 4}", "minSize", "maxSize (4)"),
                Arguments.of("delayMs 10001", "{\"delayMs\": 10001}", "delayMs", "between 0 and 10000"),
                Arguments.of("delays above limit", "{\"count\": 10000, \"delayMs\": 31}", "delayMs",
                        "at most 300000 ms"),
                Arguments.of("unknown field", "{\"priority\": 1}", "priority", "not a known field"),
                Arguments.of("channelId given", "{\"channelId\": \"mine\"}", "channelId", "not a known field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidParameters")
    void rejectsInvalidParameter(String description, String body, String field, String reason) {
        Response response = given()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(PROBES);

        response.then().statusCode(400).contentType(ContentType.JSON);
        assertEquals("invalid-request", response.jsonPath().getString("type"));
        assertEquals(field, response.jsonPath().getString("field"));
        String detail = response.jsonPath().getString("detail");
        assertTrue(detail.contains(field), detail);
        assertTrue(detail.contains(reason), detail);
    }

    @Test
    void openApiListsProbes() {
        JsonPath document = given()
                .queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        Map<String, Object> responses = document.getMap("paths.'/api/probes'.post.responses");
        assertNotNull(responses, "POST /api/probes is not documented");
        for (String status : List.of("200", "400", "503")) {
            assertTrue(responses.containsKey(status), "response " + status + " is missing: " + responses.keySet());
        }
        assertEquals(List.of("Reproduction"), document.getList("paths.'/api/probes'.post.tags"));
        assertNotNull(document.getMap("components.schemas.ProbeResult"), "schema ProbeResult is missing");
        assertNotNull(document.getMap("components.schemas.ProbeRequest"), "schema ProbeRequest is missing");
    }

    private static JsonPath probe(String body) {
        return given()
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post(PROBES)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
    }

    private static void assertLatencyOrdered(JsonPath result) {
        Long p50 = result.getLong("latency.p50");
        Long p90 = result.getLong("latency.p90");
        Long p99 = result.getLong("latency.p99");
        Long max = result.getLong("latency.max");
        assertNotNull(p50, "latency.p50");
        assertNotNull(p90, "latency.p90");
        assertNotNull(p99, "latency.p99");
        assertNotNull(max, "latency.max");
        assertTrue(p50 <= p90, "p50 " + p50 + " > p90 " + p90);
        assertTrue(p90 <= p99, "p90 " + p90 + " > p99 " + p99);
        assertTrue(p99 <= max, "p99 " + p99 + " > max " + max);
    }
}
