package dev.orderly.error;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;

/**
 * Maps every failure a request can end in to a {@link Problem} body: invalid input to 4xx naming the field,
 * an unreachable Redis to 503, and anything else to 500 without internals.
 */
public class ProblemMappers {

    /** Rejections logged per second at most; the rest are counted and reported with the next line. */
    static final int REJECTIONS_LOGGED_PER_SECOND = 20;

    private static final LogThrottle REJECTION_LOG = new LogThrottle(REJECTIONS_LOGGED_PER_SECOND, System::nanoTime);

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        Response.ResponseBuilder response = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON)
                .entity(rejection(e));
        e.responseHeaders().forEach(response::header);
        return response.build();
    }

    /**
     * Logs a rejected request and returns its problem body. Also used by endpoints outside Quarkus REST, so every
     * rejection reads the same.
     */
    public static Problem rejection(InvalidRequestException e) {
        logRejection(e.getMessage());
        String type = e instanceof LimitExceededException ? "limit-exceeded"
                : e.status() == 401 ? "unauthorized"
                : e.status() == 403 ? "forbidden"
                : e.status() == 404 ? "not-found" : "invalid-request";
        return new Problem(type, title(e.status()), e.status(), e.getMessage(), e.field(), e.value());
    }

    private static void logRejection(String detail) {
        long leftOut = REJECTION_LOG.permit();
        if (leftOut < 0) {
            return;
        }
        if (leftOut > 0) {
            Log.infof("%d rejected requests were not logged, because more than %d came in one second",
                    leftOut, REJECTIONS_LOGGED_PER_SECOND);
        }
        Log.infof("Rejected request: %s", Problem.forLog(detail));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min((a, b) -> fieldOf(a).compareTo(fieldOf(b)))
                .orElseThrow();
        String field = fieldOf(first);
        Object value = first.getInvalidValue();
        String detail = field + " " + first.getMessage() + describe(value);
        logRejection(detail);
        return problem(400, "invalid-request", detail, field,
                value == null || value instanceof java.util.Collection<?> ? null
                        : Problem.abbreviate(String.valueOf(value)));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return invalidRequest(JsonErrors.toInvalidRequest(400, null, e));
    }

    // Quarkus REST has its own mappers for these subtypes, so they are named here to take precedence.
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response unparsableJson(JsonParseException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response unbindableJson(InvalidDefinitionException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response redisUnavailable(RedisUnavailableException e) {
        Log.warnf("Request failed because Redis is unavailable: %s", e.getMessage());
        return problem(503, "redis-unavailable", e.getMessage(), null, null);
    }

    @ServerExceptionMapper
    public Response runInterrupted(RunInterruptedException e) {
        Log.warnf("Reproduction run %s stopped after %d events: %s", e.runId(), e.emitted().size(),
                e.getCause().getMessage());
        int status = e.getCause() instanceof RedisUnavailableException ? 503 : 500;
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new Problem(status == 503 ? "redis-unavailable" : "run-failed",
                        Response.Status.fromStatusCode(status).getReasonPhrase(), status, e.getMessage(), null, null,
                        e.emitted()))
                .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        int status = e.getResponse().getStatus();
        if (status == 415) {
            // Quarkus REST's own message speaks of @Consumes, which a client cannot act on.
            return problem(415, "invalid-request", "Content-Type must be application/json", "Content-Type", null);
        }
        return problem(status, "http-" + status, e.getMessage(), null, null);
    }

    private static String fieldOf(ConstraintViolation<?> violation) {
        // The path starts with the method and parameter names (run.request.count), so the field is the rest.
        // A violation on the parameter itself concerns the whole body.
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
                continue;
            }
            if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(node.getName());
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof java.util.Collection<?> list) {
            return ", got a list of " + list.size() + " entries";
        }
        return ", got " + ("".equals(value) ? "an empty string" : Problem.abbreviate(String.valueOf(value)));
    }

    static Response problem(int status, String type, String detail, String field, String value) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new Problem(type, title(status), status, detail, field, value))
                .build();
    }

    static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return status == 422 ? "Unprocessable Content"
                : status == 413 ? "Content Too Large"
                : known == null ? "HTTP " + status : known.getReasonPhrase();
    }
}
