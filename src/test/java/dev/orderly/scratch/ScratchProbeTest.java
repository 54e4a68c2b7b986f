package dev.orderly.scratch;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class ScratchProbeTest {
    @Test
    void probe() {
        String[] bodies = {
            "{\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\"m1\",\"sequenceId\":1,\"content\":\"hi\"}}}",
            "{\"event\":null,\"data\":{}}",
            "{\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\"m1\",\"sequenceId\":\"1\"}}}",
            "{\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\"m1\",\"sequenceId\":1}},\"data\":5}",
            "{\"event\":\"generate.event\",\"data\":[1]}",
            "{\"event\":\"generate.event\",\"data\":\"x\"}",
            "{\"event\":\"generate.event\",\"data\":{\"type\":\"complete\",\"data\":{\"messageId\":\"m1\",\"sequenceId\":9223372036854775808}}}",
            "null",
        };
        for (String body : bodies) {
            var r = given().contentType(ContentType.JSON).body(body).post("/api/channels/probe-ch/events");
            System.out.println("PROBE " + body + " -> " + r.statusCode() + " " + r.contentType() + " " + r.asString());
        }
        String[] reports = {
            "{\"runId\":\"0123456789abcdef\",\"arrivals\":[{\"sequenceId\":1,\"type\":\"content\",\"size\":0,\"hash\":\"811c9dc5\"},{\"sequenceId\":2,\"type\":\"content\",\"size\":0,\"hash\":\"XYZ\"}]}",
            "{\"runId\":\"0123456789abcdef\",\"arrivals\":[null]}",
            "{\"runId\":\"0123456789abcdef\",\"arrivals\":[{\"sequenceId\":\"x\",\"type\":\"content\",\"size\":0,\"hash\":\"811c9dc5\"}]}",
        };
        for (String body : reports) {
            var r = given().contentType(ContentType.JSON).body(body).post("/api/reports");
            System.out.println("PROBE " + body + " -> " + r.statusCode() + " " + r.contentType() + " " + r.asString());
        }
        String[] runs = {"null", "{\"channelId\":\"\",\"count\":3,\"minSize\":2,\"maxSize\":4,\"delayMs\":0}"};
        for (String body : runs) {
            var r = given().contentType(ContentType.JSON).body(body).post("/api/test-realtime");
            System.out.println("PROBE " + body + " -> " + r.statusCode() + " " + r.contentType() + " " + r.asString());
        }
    }
}
