package dev.orderly.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks that an error response has the documented problem shape: {@code type}, {@code title}, {@code status} and
 * {@code detail}.
 */
public final class ProblemShape {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemShape() {
    }

    /**
     * Asserts that {@code response} is a 4xx with a problem body whose {@code status} matches the response.
     *
     * @param label names the request in failure messages
     * @param field the expected {@code field}, or {@code null} to accept any
     * @return the parsed problem
     */
    public static JsonNode assertProblem(String label, RawHttp.Response response, String field) {
        int status = response.status();
        assertTrue(status >= 400, label + ": expected 4xx, got " + status + " " + response.bodyText());
        assertTrue(status < 500, label + ": expected 4xx, got " + status + " " + response.bodyText());
        assertTrue(response.headers().getOrDefault("content-type", "").startsWith("application/json"),
                label + ": content type of " + status + " is " + response.headers().get("content-type"));
        JsonNode problem;
        try {
            problem = JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(label + ": body of " + status + " is not JSON: " + response.bodyText(), e);
        }
        assertNotNull(problem, label + ": empty body with " + status);
        assertTrue(problem.path("type").isTextual(), label + ": type missing in " + problem);
        assertTrue(problem.path("title").isTextual(), label + ": title missing in " + problem);
        assertEquals(status, problem.path("status").asInt(), label + ": status in " + problem);
        assertTrue(problem.path("detail").isTextual(), label + ": detail missing in " + problem);
        assertFalse(problem.path("detail").asText().isBlank(), label + ": blank detail in " + problem);
        if (field != null) {
            assertEquals(field, problem.path("field").asText(null), label + ": field in " + problem);
        }
        return problem;
    }

    /** Returns {@code text} as JSON string content, for building bodies by hand. */
    public static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
