package dev.orderly.report;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.testrun.PayloadHash;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code POST /api/reports} on real runs: a small run is received over SSE, and the arrivals built from the
 * received frames are reported as they came, or rearranged into a faulty delivery.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class ReportResourceTest extends SubscriberTestBase {

    private static final String REPORTS = "/api/reports";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(10);

    /** A finished run of 3 content events and 1 complete event, and what a subscriber received of it. */
    private record ReceivedRun(String runId, List<Integer> sentSizes, List<Arrival> arrivals) {
    }

    @Test
    void reportsCleanDelivery() {
        ReceivedRun run = runAndReceive();

        JsonPath report = report(run.runId(), run.arrivals())
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();

        assertEquals(run.runId(), report.getString("runId"));
        assertEquals(4, report.getInt("expected"));
        assertEquals(4, report.getInt("received"));
        assertEquals(0, report.getInt("missingCount"));
        assertEquals(List.of(), report.getList("missingIds"));
        assertEquals(List.of(), report.getList("duplicateIds"));
        assertEquals(List.of(), report.getList("unexpectedIds"));
        assertEquals(List.of(1, 2, 3, 4), report.getList("arrivalOrder", Integer.class));
        assertTrue(report.getBoolean("inOrder"));
        assertEquals(0, report.getInt("payloadMismatchCount"));
        assertTrue(report.getBoolean("clean"));
        assertEquals(4, report.getList("events").size());
        for (int row = 0; row < 4; row++) {
            String prefix = "events[" + row + "].";
            int size = run.sentSizes().get(row);
            assertEquals(row + 1, report.getInt(prefix + "arrival"));
            assertEquals(row + 1, report.getInt(prefix + "sequenceId"));
            assertEquals(row < 3 ? "content" : "complete", report.getString(prefix + "type"));
            assertEquals(size, report.getInt(prefix + "sentSize"), prefix + "sentSize");
            assertEquals(size, report.getInt(prefix + "receivedSize"), prefix + "receivedSize");
            assertTrue(report.getBoolean(prefix + "payloadMatch"), prefix + "payloadMatch");
        }
    }

    @Test
    void reportsFaultyDelivery() {
        ReceivedRun run = runAndReceive();
        List<Arrival> received = run.arrivals();
        List<Arrival> faulty = List.of(received.get(0), received.get(2), received.get(2), received.get(1));

        JsonPath report = report(run.runId(), faulty)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertEquals(4, report.getInt("expected"));
        assertEquals(4, report.getInt("received"));
        assertEquals(1, report.getInt("missingCount"));
        assertEquals(List.of(4), report.getList("missingIds", Integer.class));
        assertEquals(1, report.getInt("duplicateCount"));
        assertEquals(List.of(3), report.getList("duplicateIds", Integer.class));
        assertEquals(List.of(1, 3, 3, 2), report.getList("arrivalOrder", Integer.class));
        assertEquals(false, report.getBoolean("inOrder"));
        assertEquals(0, report.getInt("payloadMismatchCount"));
        assertEquals(false, report.getBoolean("clean"));
        assertEquals(5, report.getList("events").size());
        Map<String, Object> missingRow = report.getMap("events[4]");
        assertTrue(missingRow.containsKey("arrival"), "missing row has no arrival key: " + missingRow);
        assertNull(missingRow.get("arrival"));
        assertEquals(4, missingRow.get("sequenceId"));
        assertEquals("complete", missingRow.get("type"));
        assertEquals(0, missingRow.get("sentSize"));
        assertNull(missingRow.get("receivedSize"));
        assertEquals(false, missingRow.get("payloadMatch"));
    }

    @Test
    void unknownRunIsNotFound() {
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);

        Response response = report(runId, List.of(new Arrival(1L, "content", 0, PayloadHash.of(""))));

        response.then().statusCode(404).contentType(ContentType.JSON);
        Map<String, Object> problem = response.jsonPath().getMap("$");
        assertEquals(Set.of("type", "title", "status", "detail", "field", "value"), problem.keySet(),
                problem.toString());
        assertEquals("not-found", problem.get("type"));
        assertEquals("Not Found", problem.get("title"));
        assertEquals(404, problem.get("status"));
        assertEquals("runId", problem.get("field"));
        assertEquals(runId, problem.get("value"));
        assertEquals("run " + runId + " was not found: it never existed or its record has expired",
                problem.get("detail"));
    }

    @Test
    void rejectsMalformedRunId() {
        Response response = report("xyz", List.of(new Arrival(1L, "content", 0, PayloadHash.of(""))));

        Map<String, Object> problem = assertProblem(response);
        assertEquals("runId", problem.get("field"));
        assertEquals("xyz", problem.get("value"));
        assertTrue(((String) problem.get("detail")).contains("runId"), (String) problem.get("detail"));
        assertTrue(((String) problem.get("detail")).contains("16 lowercase hexadecimal digits"),
                (String) problem.get("detail"));
    }

    @Test
    void rejectsUppercaseHash() {
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        List<Arrival> arrivals = List.of(
                new Arrival(1L, "content", 0, PayloadHash.of("")),
                new Arrival(2L, "content", 0, "XYZ"));

        Response response = report(runId, arrivals);

        Map<String, Object> problem = assertProblem(response);
        String field = (String) problem.get("field");
        assertEquals("arrivals[1].hash", field);
        assertEquals("XYZ", problem.get("value"));
        assertTrue(((String) problem.get("detail")).contains("hash"), (String) problem.get("detail"));
        assertTrue(((String) problem.get("detail")).contains("8 lowercase hexadecimal digits"),
                (String) problem.get("detail"));
    }

    /** Subscribes to a fresh channel, runs 3 content events with no delay, and collects the 4 data frames. */
    private ReceivedRun runAndReceive() {
        String channelId = UUID.randomUUID().toString().replace("-", "");
        URI stream = URI.create(realtime + "?channel=generate:" + channelId);
        try (SseClient client = SseClient.open(stream)) {
            client.awaitReady();

            JsonPath run = Runs.run(channelId, 3, 2, 4, 0);

            List<SseClient.Frame> frames = client.awaitData(4, RECEIVE_TIMEOUT);
            assertEquals(4, frames.size(), "data frames received");
            List<Integer> sentSizes = new ArrayList<>(run.getList("sizes", Integer.class));
            sentSizes.add(0);
            List<Arrival> arrivals = new ArrayList<>();
            for (SseClient.Frame frame : frames) {
                arrivals.add(toArrival(frame.data()));
            }
            return new ReceivedRun(run.getString("runId"), sentSizes, arrivals);
        }
    }

    /** Builds an arrival as the test page does: size is the content length, hash its {@link PayloadHash}. */
    private static Arrival toArrival(String frameData) {
        JsonNode event;
        try {
            event = JSON.readTree(frameData).get("data");
        } catch (JsonProcessingException e) {
            throw new AssertionError("data frame is not JSON: " + frameData, e);
        }
        JsonNode data = event.get("data");
        String content = data.has("content") ? data.get("content").asText() : null;
        return new Arrival(data.get("sequenceId").asLong(), event.get("type").asText(),
                content == null ? 0 : content.length(), PayloadHash.of(content));
    }

    private static Response report(String runId, List<Arrival> arrivals) {
        return given()
                .contentType(ContentType.JSON)
                .body(Map.of("runId", runId, "arrivals", arrivals))
                .when()
                .post(REPORTS);
    }

    private static Map<String, Object> assertProblem(Response response) {
        response.then().statusCode(400).contentType(ContentType.JSON);
        Map<String, Object> problem = response.jsonPath().getMap("$");
        assertEquals(Set.of("type", "title", "status", "detail", "field", "value"), problem.keySet(),
                problem.toString());
        assertEquals("invalid-request", problem.get("type"));
        assertEquals("Bad Request", problem.get("title"));
        assertEquals(400, problem.get("status"));
        return problem;
    }
}
