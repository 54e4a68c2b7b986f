package dev.orderly;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.support.EmbeddedRedisResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The generated OpenAPI document at {@code /q/openapi} and the Swagger UI that renders it. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class OpenApiTest {

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private JsonNode document;

    @BeforeEach
    void loadDocument() throws Exception {
        String body = given()
                .queryParam("format", "json")
                .when()
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        document = new ObjectMapper().readTree(body);
    }

    @Test
    void documentsEveryEndpoint() {
        JsonNode paths = document.path("paths");
        for (String path : List.of("/api/reports", "/api/test-realtime", "/api/probes", "/api/realtime",
                "/api/channels/{channel}/events")) {
            assertTrue(paths.has(path), "path " + path + " is missing; paths: " + fieldNames(paths));
        }
    }

    @Test
    void realtimeStreamsEventStream() {
        JsonNode content = document.at("/paths/~1api~1realtime/get/responses/200/content");

        assertTrue(content.has("text/event-stream"), "media types: " + fieldNames(content));
    }

    @Test
    void documentsSchemas() {
        JsonNode schemas = document.path("components").path("schemas");
        for (String schema : List.of("DeliveryReport", "ReportRequest", "Arrival", "EventReport",
                "TestRunRequest", "TestRunResult", "Problem", "GenerateEvent")) {
            assertTrue(schemas.has(schema), "schema " + schema + " is missing; schemas: " + fieldNames(schemas));
        }
    }

    @Test
    void reportsDocumentsOutcomes() {
        JsonNode responses = document.at("/paths/~1api~1reports/post/responses");

        for (String status : List.of("200", "400", "404")) {
            assertTrue(responses.has(status), "response " + status + " is missing; responses: "
                    + fieldNames(responses));
        }
    }

    @Test
    void definesAccessTokenSchemes() {
        JsonNode schemes = document.path("components").path("securitySchemes");

        assertEquals("http", schemes.at("/accessToken/type").asText());
        assertEquals("bearer", schemes.at("/accessToken/scheme").asText());
        assertEquals("JWT", schemes.at("/accessToken/bearerFormat").asText());
        assertEquals("apiKey", schemes.at("/accessTokenQuery/type").asText());
        assertEquals("query", schemes.at("/accessTokenQuery/in").asText());
        assertEquals("access_token", schemes.at("/accessTokenQuery/name").asText());
        assertEquals("apiKey", schemes.at("/accessTokenCookie/type").asText());
        assertEquals("cookie", schemes.at("/accessTokenCookie/in").asText());
        assertEquals("orderly_token", schemes.at("/accessTokenCookie/name").asText());
    }

    @Test
    void apiOperationsRequireToken() {
        int checked = 0;
        for (Map.Entry<String, JsonNode> path : entries(document.path("paths"))) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> operation : entries(path.getValue())) {
                if (!HTTP_METHODS.contains(operation.getKey())) {
                    continue;
                }
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                JsonNode security = operation.getValue().path("security");
                assertTrue(security.path(0).has("accessToken"), name + " security: " + security);
                JsonNode responses = operation.getValue().path("responses");
                for (String status : List.of("401", "403")) {
                    assertTrue(responses.has(status), name + " lacks response " + status);
                    assertEquals("#/components/schemas/Problem",
                            responses.at("/" + status + "/content/application~1json/schema/$ref").asText(), name);
                }
                checked++;
            }
        }
        assertEquals(5, checked, "operations under /api/");
    }

    @Test
    void realtimeAcceptsQueryAndCookieTokens() {
        JsonNode security = document.at("/paths/~1api~1realtime/get/security");

        assertEquals(3, security.size(), security.toString());
        assertTrue(security.path(1).has("accessTokenQuery"), security.toString());
        assertTrue(security.path(2).has("accessTokenCookie"), security.toString());
    }

    @Test
    void reproductionDocuments404() {
        for (String path : List.of("/api/test-realtime", "/api/reports", "/api/probes")) {
            JsonNode notFound = document.path("paths").path(path).path("post").path("responses").path("404");

            assertTrue(notFound.path("description").asText().contains("orderly.reproduction.enabled"),
                    path + " 404: " + notFound);
        }
        JsonNode emitResponses = document.at("/paths/~1api~1channels~1{channel}~1events/post/responses");
        assertFalse(emitResponses.has("404"), "emit documents a 404 it never returns");
    }

    @Test
    void everyOperationHasSummary() {
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : entries(document.path("paths"))) {
            for (Map.Entry<String, JsonNode> operation : entries(path.getValue())) {
                if (!HTTP_METHODS.contains(operation.getKey())) {
                    continue;
                }
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                operations.add(name);
                assertFalse(operation.getValue().path("summary").asText().isBlank(), name + " has no summary");
            }
        }
        assertFalse(operations.isEmpty(), "the document has no operations");
    }

    @Test
    void swaggerUiServesHtml() {
        given()
                .when()
                .get("/q/swagger-ui/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<html"));
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        return entries;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
