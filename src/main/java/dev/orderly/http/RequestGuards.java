package dev.orderly.http;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.access.AccessDeniedException;
import dev.orderly.access.AccessGuard;
import dev.orderly.config.OrderlyConfig;
import dev.orderly.error.InvalidRequestException;
import dev.orderly.error.LimitExceededException;
import dev.orderly.error.Rejections;
import dev.orderly.error.RouteProblems;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks every request before it reaches an endpoint, in this order: no matrix parameters in the path, whether the
 * reproduction is enabled, the access token of {@code /api/} requests ({@link AccessGuard}), and the body size
 * limit. Rejections get the
 * {@link dev.orderly.error.Problem} body, which Quarkus's own 413 response lacks.
 */
@ApplicationScoped
public class RequestGuards {

    /**
     * Just before Quarkus's own body size check (order -2 in Quarkus 3.33), which ends the response with an empty
     * body, and after the CORS and configured header handlers.
     */
    private static final int ORDER = -3;

    /** Paths of the reproduction endpoints. */
    static final List<String> REPRODUCTION_API_PATHS = List.of("/api/test-realtime", "/api/reports", "/api/probes");

    /** The reproduction endpoints and the test page's HTML, scripts and styles. */
    private static final Pattern REPRODUCTION_PATHS = Pattern.compile("(" + String.join("|", REPRODUCTION_API_PATHS)
            + ")(/.*)?|/|/[^/]+\\.(html|js|css)");

    private final ObjectMapper mapper;
    private final Rejections rejections;
    private final AccessGuard access;
    private final boolean reproductionEnabled;
    private final long maxBodyBytes;

    @Inject
    public RequestGuards(ObjectMapper mapper, Rejections rejections, AccessGuard access, OrderlyConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.mapper = mapper;
        this.rejections = rejections;
        this.access = access;
        this.reproductionEnabled = config.reproduction().enabled();
        this.maxBodyBytes = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext request) {
        if (request.normalizedPath().indexOf(';') >= 0) {
            // Quarkus REST drops ";name=value" matrix parameters before it matches a resource, so "/api;x/reports"
            // would reach /api/reports past the path checks below. No endpoint takes matrix parameters.
            RouteProblems.reject(request, mapper, new InvalidRequestException("path", request.normalizedPath(),
                    "path must not contain ';': matrix parameters are not supported"));
            return;
        }
        if (!reproductionEnabled && REPRODUCTION_PATHS.matcher(request.normalizedPath()).matches()) {
            rejections.count(Rejections.REPRODUCTION_DISABLED);
            RouteProblems.reject(request, mapper, new InvalidRequestException(404, "path", request.normalizedPath(),
                    request.normalizedPath() + " is not available: the reproduction endpoints and the test page "
                            + "are off. Set orderly.reproduction.enabled=true (environment variable "
                            + "ORDERLY_REPRODUCTION_ENABLED=true) to serve them"));
            return;
        }
        if (AccessGuard.isProtected(request.normalizedPath())) {
            try {
                access.authenticate(request);
            } catch (AccessDeniedException e) {
                RouteProblems.reject(request, mapper, e);
                return;
            }
        }
        if (hasBody(request.request().method())) {
            InvalidRequestException tooLarge = checkBodySize(request);
            if (tooLarge != null) {
                // The unread body would follow on this connection, so it is closed after the response.
                request.response().putHeader("Connection", "close");
                RouteProblems.reject(request, mapper, tooLarge);
                return;
            }
        }
        request.next();
    }

    private InvalidRequestException checkBodySize(RoutingContext request) {
        String length = request.request().getHeader("Content-Length");
        if (length == null) {
            if (request.request().getHeader("Transfer-Encoding") == null) {
                return null;
            }
            // NOTE: Quarkus REST 3.33.2 does not apply quarkus.http.limits.max-body-size to chunked bodies
            // (measured), so they are rejected. HTTP/2 bodies without Content-Length are not bounded.
            return new InvalidRequestException(411, "Content-Length", null,
                    "Content-Length is missing: send the body with a Content-Length header, not chunked");
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return new InvalidRequestException("Content-Length", length, "Content-Length must be a number of bytes");
        }
        if (bytes <= maxBodyBytes) {
            return null;
        }
        rejections.count(Rejections.BODY_SIZE);
        return new LimitExceededException(413, Rejections.BODY_SIZE, 0, "body", bytes + " bytes",
                "body has " + bytes + " bytes, the maximum is " + maxBodyBytes + " (quarkus.http.limits.max-body-size)");
    }

    private static boolean hasBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }
}
