package dev.orderly.error;

import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.ext.web.RoutingContext;

/** Writes {@link Problem} responses from Vert.x routes and filters, which Quarkus REST's mappers do not reach. */
public final class RouteProblems {

    private RouteProblems() {
    }

    /** Logs the rejection and ends the response with its problem body and, for a limit, its Retry-After header. */
    public static void reject(RoutingContext request, ObjectMapper mapper, InvalidRequestException e) {
        Problem problem = ProblemMappers.rejection(e);
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException failure) {
            request.fail(failure);
            return;
        }
        if (e instanceof LimitExceededException limit && limit.retryAfterSeconds() > 0) {
            request.response().putHeader("Retry-After", Long.toString(limit.retryAfterSeconds()));
        }
        request.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", MediaType.APPLICATION_JSON)
                .end(body);
    }
}
