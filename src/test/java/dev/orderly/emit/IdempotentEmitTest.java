package dev.orderly.emit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.orderly.channel.ChannelKeys;
import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Emits retried with the same Idempotency-Key append once. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class IdempotentEmitTest {

    @Inject
    RedisDataSource redis;

    @Test
    void retryWithSameKeyAppendsOnce() {
        String channel = "idempotent:" + Runs.newChannelId();

        JsonPath first = emit(channel, "key-1", "hello").then().statusCode(200).extract().jsonPath();
        JsonPath retry = emit(channel, "key-1", "hello").then().statusCode(200).extract().jsonPath();
        JsonPath other = emit(channel, "key-2", "hello").then().statusCode(200).extract().jsonPath();

        assertEquals(1, first.getLong("offset"));
        assertFalse(first.getBoolean("replayed"));
        assertEquals(1, retry.getLong("offset"));
        assertEquals(first.getString("epoch"), retry.getString("epoch"));
        assertTrue(retry.getBoolean("replayed"));
        assertEquals(2, other.getLong("offset"));
        assertEquals(2, redis.execute("XLEN", ChannelKeys.of(channel).log()).toLong());
    }

    @Test
    void sameKeyForOtherEventIsRejected() {
        String channel = "idempotent:" + Runs.newChannelId();
        emit(channel, "key-1", "hello").then().statusCode(200);

        JsonPath problem = emit(channel, "key-1", "changed").then().statusCode(422).extract().jsonPath();

        assertEquals("Idempotency-Key", problem.getString("field"));
        assertEquals("key-1", problem.getString("value"));
        assertTrue(problem.getString("detail").contains("different event"), problem.getString("detail"));
        assertEquals(1, redis.execute("XLEN", ChannelKeys.of(channel).log()).toLong());
    }

    @Test
    void invalidKeyIsRejectedBeforeRedis() {
        String channel = "idempotent:" + Runs.newChannelId();

        JsonPath spaced = emit(channel, "has space", "hello").then().statusCode(400).extract().jsonPath();
        JsonPath tooLong = emit(channel, "k".repeat(129), "hello").then().statusCode(400).extract().jsonPath();

        assertEquals("Idempotency-Key", spaced.getString("field"));
        assertTrue(tooLong.getString("detail").contains("128"), tooLong.getString("detail"));
        assertEquals(0, redis.execute("EXISTS", ChannelKeys.of(channel).meta()).toLong());
    }

    private static Response emit(String channel, String key, String content) {
        return given()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(Map.of("event", "generate.event", "data", Map.of("type", "content",
                        "data", Map.of("messageId", "m", "sequenceId", 1, "content", content))))
                .when()
                .post("/api/channels/{channel}/events", channel);
    }
}
