package dev.orderly.error;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Writes a {@link Problem} body for failures that reach the Vert.x router instead of an endpoint's exception
 * mappers. Without it, Quarkus's failure handler sends such a failure as plain text: a request without a
 * {@code Host} header, or with an invalid one, got 400 with a text body.
 *
 * <p>NOTE: Quarkus rejects a request URI that {@code java.net.URI} cannot parse (such as {@code ?channel=%zz}) with
 * a bare 400 before the router runs, and Vert.x's HTTP decoder does the same for a header line that breaks HTTP
 * framing and for a request line or headers over the size limits (400, 414, 431). None of these reach this
 * handler. The percent-escape branches below only run when that check is off
 * ({@code -Dvertx.disableURIValidation=true}).
 */
@ApplicationScoped
public class RouterProblems {

    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final ObjectMapper mapper;

    public RouterProblems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        // Runs before Quarkus's own failure handler, which writes a plain-text or HTML error page.
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failed);
    }

    private void failed(RoutingContext context) {
        int status = context.statusCode();
        if (status < 400 && context.failure() instanceof HttpException http) {
            status = http.getStatusCode();
        }
        if (status < 400) {
            status = 500;
        }
        respond(context, status);
    }

    private void respond(RoutingContext context, int status) {
        if (context.response().ended()) {
            return;
        }
        if (context.response().headWritten()) {
            // A stream that fails after its headers went out cannot become a problem response, so its connection
            // is closed. Quarkus's own handler would log the whole URI, and with it an access_token parameter.
            Log.errorf(context.failure(), "Request %s %s failed after its response started", context.request().method(),
                    Problem.forLog(String.valueOf(context.request().path())));
            context.response().reset();
            return;
        }
        RouteProblems.send(context, mapper, problemFor(context, status));
    }

    private static Problem problemFor(RoutingContext context, int status) {
        String query = context.request().query();
        if (status == 400 && query != null && MALFORMED_ESCAPE.matcher(query).find()) {
            return ProblemMappers.rejection(new InvalidRequestException("query", query,
                    "query string is not valid percent-encoding: each % must start an escape of two hexadecimal "
                            + "digits, such as %2F"));
        }
        String path = context.request().path();
        if (status == 400 && path != null && MALFORMED_ESCAPE.matcher(path).find()) {
            return ProblemMappers.rejection(new InvalidRequestException("path", path,
                    "path is not valid percent-encoding: each % must start an escape of two hexadecimal digits, "
                            + "such as %2F"));
        }
        if (status >= 500) {
            Log.errorf(context.failure(), "Request %s %s failed in the HTTP layer", context.request().method(),
                    Problem.forLog(String.valueOf(path)));
            return new Problem("internal-error", ProblemMappers.title(status), status,
                    "the server failed to handle the request", null, null);
        }
        return new Problem("http-" + status, ProblemMappers.title(status), status,
                "HTTP " + status + " " + ProblemMappers.title(status), null, null);
    }
}
