package dev.orderly.access;

import java.util.Map;

import dev.orderly.error.InvalidRequestException;

/**
 * Rejects a request whose access token is missing or invalid (401) or does not allow the request (403). The
 * problem body names the offending field but never carries the token itself.
 */
public class AccessDeniedException extends InvalidRequestException {

    private final String reason;
    private final String wwwAuthenticate;

    private AccessDeniedException(int status, String reason, String field, Object value, String message,
            String wwwAuthenticate) {
        super(status, field, value, message);
        this.reason = reason;
        this.wwwAuthenticate = wwwAuthenticate;
    }

    /** 401 for a request without a token; the challenge names only the scheme (RFC 6750, section 3.1). */
    static AccessDeniedException missing(String message) {
        return new AccessDeniedException(401, "missing", "Authorization", null, message, "Bearer");
    }

    /** 401 for a token that is malformed, wrongly signed or carries invalid claims. */
    static AccessDeniedException invalid(String field, String message) {
        return new AccessDeniedException(401, "invalid", field, null, message, "Bearer error=\"invalid_token\"");
    }

    /** 401 for a token whose {@code exp} has passed. */
    static AccessDeniedException expired(String field, String message) {
        return new AccessDeniedException(401, "expired", field, null, message, "Bearer error=\"invalid_token\"");
    }

    /** 403 for a valid token that does not allow the request on {@code channel} (RFC 6750, section 3.1). */
    static AccessDeniedException forbidden(String channel, String message) {
        return new AccessDeniedException(403, "forbidden", channel == null ? "scope" : "channel", channel, message,
                "Bearer error=\"insufficient_scope\"");
    }

    /** Why access was denied: {@code missing}, {@code invalid}, {@code expired} or {@code forbidden}. */
    public String reason() {
        return reason;
    }

    @Override
    public Map<String, String> responseHeaders() {
        return Map.of("WWW-Authenticate", wwwAuthenticate);
    }
}
