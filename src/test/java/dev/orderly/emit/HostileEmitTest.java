package dev.orderly.emit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Bodies that a lenient parser would silently reinterpret are rejected, and nothing reaches Redis. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class HostileEmitTest {

    private static final String DATA = "{\"type\":\"content\",\"data\":{\"messageId\":\"m\",\"sequenceId\":1}}";

    @Inject
    RedisDataSource redis;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "enum as number   | {\"event\":\"generate.event\",\"data\":{\"type\":0,\"data\":{\"messageId\":\"m\",\"sequenceId\":1}}} | 422 | data.type",
        "trailing object  | {\"event\":\"generate.event\",\"data\":" + DATA + "}{\"event\":1}                                | 400 | body",
        "trailing garbage | {\"event\":\"generate.event\",\"data\":" + DATA + "} garbage                                    | 400 | body",
        "duplicate key    | {\"event\":\"generate.event\",\"event\":\"generate.event\",\"data\":" + DATA + "}               | 400 | event",
        "lone surrogate   | {\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\"m\",\"sequenceId\":1,\"content\":\"a\\ud800b\"}}} | 422 | data.data.content",
        "huge sequenceId  | {\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\"m\",\"sequenceId\":9223372036854775808}}} | 422 | data.data.sequenceId",
    })
    void reinterpretableBodyIsRejected(String name, String body, int status, String field) {
        String channel = "hostile:" + Runs.newChannelId();

        given()
                .contentType(ContentType.JSON)
                .body(body.trim())
                .when()
                .post("/api/channels/{channel}/events", channel)
                .then()
                .statusCode(status)
                .body("field", equalTo(field))
                .body("detail", containsString(field));

        assertEquals(List.of(), redis.key().keys("orderly:{" + channel + "}*"));
    }

    @Test
    void matrixParameterInChannelIsRejected() {
        String channel = "hostile" + Runs.newChannelId();

        given()
                .contentType(ContentType.JSON)
                .body("{\"event\":\"generate.event\",\"data\":" + DATA + "}")
                .urlEncodingEnabled(false)
                .when()
                .post("/api/channels/" + channel + ";x=1/events")
                .then()
                .statusCode(400)
                .body("field", equalTo("path"));

        assertEquals(List.of(), redis.key().keys("orderly:{" + channel + "}*"));
    }
}
