package dev.orderly.probe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code POST /api/probes} while Redis is down: 503 with a problem body, and the subscription released. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class ProbeRedisDownTest extends SubscriberTestBase {

    @Test
    void probeWithoutRedisGets503() {
        Assumptions.assumeTrue(EmbeddedRedisResource.isEmbedded(), "needs the embedded Redis to stop it");

        Response response;
        EmbeddedRedisResource.stopRedis();
        try {
            response = given()
                    .contentType(ContentType.JSON)
                    .body("{\"count\": 3, \"delayMs\": 0}")
                    .when()
                    .post("/api/probes");
        } finally {
            EmbeddedRedisResource.startRedis();
        }

        response.then().statusCode(503).contentType(ContentType.JSON);
        assertEquals("redis-unavailable", response.jsonPath().getString("type"));
        assertEquals(503, response.jsonPath().getInt("status"));
        assertEquals("Service Unavailable", response.jsonPath().getString("title"));
    }
}
