package dev.orderly.config;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Without a Redis address the application runs with the placeholder that production uses, and both readiness and
 * the requests that need Redis name the setting to configure instead of naming the placeholder's connection error.
 */
@QuarkusTest
@TestProfile(UnconfiguredRedisTest.Placeholder.class)
class UnconfiguredRedisTest {

    /** The address application.properties sets in production when QUARKUS_REDIS_HOSTS is missing. */
    public static class Placeholder implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1");
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void emitNamesMissingConfiguration() {
        JsonPath problem = given()
                .contentType(ContentType.JSON)
                .body(Map.of("event", "generate.event", "data", Map.of("type", "content", "data",
                        Map.of("messageId", "m", "sequenceId", 1, "content", "x"))))
                .when()
                .post("/api/channels/{channel}/events", "unconfigured")
                .then()
                .statusCode(503)
                .extract()
                .jsonPath();

        assertEquals("Appending to channel unconfigured failed because Redis is not configured: set "
                + "QUARKUS_REDIS_HOSTS (quarkus.redis.hosts), for example redis://127.0.0.1:6379.",
                problem.getString("detail"));
    }

    @Test
    void readinessNamesMissingConfiguration() {
        JsonPath health = given().when().get("/q/health/ready").then().statusCode(503).extract().jsonPath();

        assertEquals("DOWN", health.getString("checks.find { it.name == 'Redis' }.status"));
        assertEquals("Redis is not configured: set QUARKUS_REDIS_HOSTS (quarkus.redis.hosts), for example "
                + "redis://127.0.0.1:6379", health.getString("checks.find { it.name == 'Redis' }.data.error"));
    }
}
