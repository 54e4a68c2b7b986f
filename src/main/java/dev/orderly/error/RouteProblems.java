package dev.orderly.error;

import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.vertx.ext.web.RoutingContext;

/** Writes {@link Problem} responses from Vert.x routes and filters, which Quarkus REST's mappers do not reach. */
public final class RouteProblems {

    private RouteProblems() {
    }

    /** Logs the rejection and ends the response with its problem body and its headers (such as Retry-After). */
    public static void reject(RoutingContext request, ObjectMapper mapper, InvalidRequestException e) {
        e.responseHeaders().forEach(request.response()::putHeader);
        send(request, mapper, ProblemMappers.rejection(e));
    }

    /** Ends the response with {@code problem} as its JSON body and status. */
    static void send(RoutingContext request, ObjectMapper mapper, Problem problem) {
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            Log.errorf(e, "Problem body for status %d could not be written", problem.status());
            request.response().setStatusCode(problem.status()).end();
            return;
        }
        request.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", MediaType.APPLICATION_JSON)
                .end(body);
    }
}
