package dev.orderly.access;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.config.OrderlyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates every {@code /api/} request and checks each endpoint's channels against the request's
 * {@link AccessGrant}.
 *
 * <p>The token is read from {@code Authorization: Bearer <token>}. {@code GET /api/realtime} also accepts the
 * {@code access_token} query parameter (RFC 6750, section 2.3) and the configured cookie, because a browser's
 * {@code EventSource} cannot send headers. When several carry a token, a Bearer header wins, then the query
 * parameter.
 * Every denial is counted as {@code orderly_access_denied_total{reason}}.
 *
 * <p>Guarantee: {@link #require} finds a grant only where {@link #authenticate} stored one, so a request that
 * bypassed authentication fails instead of passing as unrestricted.
 */
@ApplicationScoped
public class AccessGuard {

    /** Query parameter that carries a token on {@code GET /api/realtime}. */
    public static final String QUERY_PARAMETER = "access_token";

    /** Path of the SSE endpoint, the one endpoint that also reads a token from the query or a cookie. */
    public static final String SUBSCRIBE_PATH = "/api/realtime";

    private static final String BEARER = "Bearer ";
    /** The SSE route: Vert.x matches a route path with or without a trailing slash. */
    private static final Pattern SUBSCRIBE_ROUTE = Pattern.compile(Pattern.quote(SUBSCRIBE_PATH) + "/?");

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
        counted(() -> request.put(AccessGrant.CONTEXT_KEY, verify(request)));
    }

    private AccessGrant verify(RoutingContext request) {
        List<String> headers = request.request().headers().getAll("Authorization");
        if (headers.size() > 1) {
            throw AccessDeniedException.invalid("Authorization", "the Authorization header is given "
                    + headers.size() + " times; give one");
        }
        String header = headers.isEmpty() ? null : headers.get(0);
        if (header != null && isBearer(header)) {
            String token = header.substring(BEARER.length() - 1).trim();
            if (token.isEmpty()) {
                throw AccessDeniedException.invalid("Authorization", "the Authorization header has no token after "
                        + "\"Bearer\"");
            }
            return tokens.verify(token, "Authorization");
        }
        boolean subscribe = request.request().method() == HttpMethod.GET
                && SUBSCRIBE_ROUTE.matcher(request.normalizedPath()).matches();
        if (subscribe) {
            // Another scheme, such as Basic credentials a browser keeps for the origin, does not hide the token
            // that an EventSource sends in the query or a cookie.
            String fromQuery = queryToken(request);
            if (fromQuery != null) {
                return tokens.verify(fromQuery, QUERY_PARAMETER);
            }
            String fromCookie = cookieToken(request);
            if (fromCookie != null) {
                return tokens.verify(fromCookie, cookie);
            }
        }
        if (header != null) {
            throw AccessDeniedException.invalid("Authorization", "the Authorization header must be "
                    + "\"Bearer <token>\"");
        }
        if (subscribe) {
            throw AccessDeniedException.missing("an access token is required: send it as \"Authorization: Bearer "
                    + "<token>\", as the " + QUERY_PARAMETER + " query parameter or as the " + cookie + " cookie");
        }
        throw AccessDeniedException.missing("an access token is required: send it as \"Authorization: Bearer "
                + "<token>\" (only GET /api/realtime also reads the " + QUERY_PARAMETER + " query parameter and the "
                + cookie + " cookie)");
    }

    /** Returns whether {@code header} uses the Bearer scheme, with or without a token after it. */
    private static boolean isBearer(String header) {
        String scheme = BEARER.trim();
        return header.regionMatches(true, 0, scheme, 0, scheme.length())
                && (header.length() == scheme.length() || Character.isWhitespace(header.charAt(scheme.length())));
    }

    private static String queryToken(RoutingContext request) {
        List<String> values;
        try {
            values = request.queryParam(QUERY_PARAMETER);
        } catch (IllegalArgumentException e) {
            // Vert.x could not decode the query string, so it carries no readable token.
            return null;
        }
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw AccessDeniedException.invalid(QUERY_PARAMETER, QUERY_PARAMETER + " is given " + values.size()
                    + " times; give one token");
        }
        // An empty parameter counts as absent, like an empty cookie, so it cannot hide the cookie's token.
        return values.get(0).isEmpty() ? null : values.get(0);
    }

    /** Returns the token cookie's value, or null when it is absent or empty. */
    private String cookieToken(RoutingContext request) {
        // Netty's decoder keeps repeated names, which Vert.x's cookie set would merge into one.
        List<String> values = new ArrayList<>();
        for (String header : request.request().headers().getAll("Cookie")) {
            for (Cookie sent : ServerCookieDecoder.LAX.decodeAll(header)) {
                if (sent.name().equals(cookie)) {
                    values.add(sent.value());
                }
            }
        }
        if (values.size() > 1) {
            throw AccessDeniedException.invalid(cookie, "the " + cookie + " cookie is given " + values.size()
                    + " times; send one");
        }
        return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }

    /**
     * Checks that the request's grant allows {@code permission} on every channel of {@code channels}.
     *
     * @throws AccessDeniedException 403 naming the first channel that is not allowed
     * @throws IllegalStateException when the request was not authenticated, which is a routing defect
     */
    public AccessGrant require(RoutingContext request, Permission permission, List<String> channels) {
        AccessGrant grant = grantOf(request);
        counted(() -> channels.forEach(channel -> grant.require(permission, channel)));
        return grant;
    }

    /**
     * Checks that the request's grant allows {@code permission} on some channel, for an endpoint that has not yet
     * read which channel the request concerns.
     *
     * @throws AccessDeniedException 403 when the token's scope lacks {@code permission}
     */
    public void require(RoutingContext request, Permission permission) {
        AccessGrant grant = grantOf(request);
        counted(() -> grant.requirePermission(permission, null));
    }

    /** Checks one channel; see {@link #require(RoutingContext, Permission, List)}. */
    public AccessGrant require(RoutingContext request, Permission permission, String channel) {
        return require(request, permission, List.of(channel));
    }

    private static AccessGrant grantOf(RoutingContext request) {
        AccessGrant grant = request.get(AccessGrant.CONTEXT_KEY);
        if (grant == null) {
            throw new IllegalStateException("Request to " + request.normalizedPath()
                    + " reached an endpoint without authentication");
        }
        return grant;
    }

    /** Runs {@code check}, counting the denial it throws, if any, before passing it on. */
    private void counted(Runnable check) {
        try {
            check.run();
        } catch (AccessDeniedException e) {
            meters.counter("orderly.access.denied", "reason", e.reason()).increment();
            throw e;
        }
    }
}
