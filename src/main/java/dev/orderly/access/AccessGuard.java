package dev.orderly.access;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.config.OrderlyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates every {@code /api/} request and checks each endpoint's channels against the request's
 * {@link AccessGrant}.
 *
 * <p>The token is read from {@code Authorization: Bearer <token>}. {@code GET /api/realtime} also accepts the
 * {@code access_token} query parameter (RFC 6750, section 2.3) and the configured cookie, because a browser's
 * {@code EventSource} cannot send headers. When several carry a token, the header wins, then the query parameter.
 * Every denial is counted as {@code orderly_access_denied_total{reason}}.
 *
 * <p>Guarantee: {@link #require} finds a grant only where {@link #authenticate} stored one, so a request that
 * bypassed authentication fails instead of passing as unrestricted.
 */
@ApplicationScoped
public class AccessGuard {

    /** Query parameter that carries a token on {@code GET /api/realtime}. */
    public static final String QUERY_PARAMETER = "access_token";

    private static final String BEARER = "Bearer ";
    private static final Pattern SUBSCRIBE_PATH = Pattern.compile("/api/realtime/?");

    private final AccessTokens tokens;
    private final MeterRegistry meters;
    private final String cookie;

    @Inject
    public AccessGuard(AccessTokens tokens, MeterRegistry meters, OrderlyConfig config) {
        this.tokens = tokens;
        this.meters = meters;
        this.cookie = config.auth().cookie();
    }

    /** Returns whether {@code path}, a normalized request path, is under {@code /api}, where tokens apply. */
    public static boolean isProtected(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    /**
     * Verifies the request's token and stores its grant for the endpoint; stores an unrestricted grant when
     * authorization is off.
     *
     * @throws AccessDeniedException 401 when the token is missing or invalid
     */
    public void authenticate(RoutingContext request) {
        if (!tokens.enabled()) {
            request.put(AccessGrant.CONTEXT_KEY, AccessGrant.UNRESTRICTED);
            return;
        }
        try {
            request.put(AccessGrant.CONTEXT_KEY, verify(request));
        } catch (AccessDeniedException e) {
            count(e);
            throw e;
        }
    }

    private AccessGrant verify(RoutingContext request) {
        String header = request.request().getHeader("Authorization");
        if (header != null) {
            if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.length() == BEARER.length()) {
                throw AccessDeniedException.invalid("Authorization", "the Authorization header must be "
                        + "\"Bearer <token>\"");
            }
            return tokens.verify(header.substring(BEARER.length()).trim(), "Authorization");
        }
        boolean subscribe = request.request().method() == HttpMethod.GET
                && SUBSCRIBE_PATH.matcher(request.normalizedPath()).matches();
        if (subscribe) {
            String fromQuery = queryToken(request);
            if (fromQuery != null) {
                return tokens.verify(fromQuery, QUERY_PARAMETER);
            }
            Cookie fromCookie = request.request().getCookie(cookie);
            if (fromCookie != null && !fromCookie.getValue().isEmpty()) {
                return tokens.verify(fromCookie.getValue(), cookie);
            }
            throw AccessDeniedException.missing("an access token is required: send it as \"Authorization: Bearer "
                    + "<token>\", as the " + QUERY_PARAMETER + " query parameter or as the " + cookie + " cookie");
        }
        throw AccessDeniedException.missing("an access token is required: send it as \"Authorization: Bearer "
                + "<token>\" (only GET /api/realtime also reads the " + QUERY_PARAMETER + " query parameter and the "
                + cookie + " cookie)");
    }

    private static String queryToken(RoutingContext request) {
        List<String> values;
        try {
            values = request.queryParam(QUERY_PARAMETER);
        } catch (IllegalArgumentException e) {
            // A malformed query string carries no readable token; the endpoint rejects it with 400.
            return null;
        }
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw AccessDeniedException.invalid(QUERY_PARAMETER, QUERY_PARAMETER + " is given " + values.size()
                    + " times; give one token");
        }
        return values.get(0);
    }

    /**
     * Checks that the request's grant allows {@code permission} on every channel of {@code channels}.
     *
     * @throws AccessDeniedException 403 naming the first channel that is not allowed
     * @throws IllegalStateException when the request was not authenticated, which is a routing defect
     */
    public AccessGrant require(RoutingContext request, Permission permission, List<String> channels) {
        AccessGrant grant = request.get(AccessGrant.CONTEXT_KEY);
        if (grant == null) {
            throw new IllegalStateException("Request to " + request.normalizedPath()
                    + " reached an endpoint without authentication");
        }
        try {
            for (String channel : channels) {
                grant.require(permission, channel);
            }
        } catch (AccessDeniedException e) {
            count(e);
            throw e;
        }
        return grant;
    }

    /** Checks one channel; see {@link #require(RoutingContext, Permission, List)}. */
    public AccessGrant require(RoutingContext request, Permission permission, String channel) {
        return require(request, permission, List.of(channel));
    }

    private void count(AccessDeniedException e) {
        meters.counter("orderly.access.denied", "reason", e.reason()).increment();
    }
}
