package dev.orderly.access;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The permissions and channel patterns one request has: those of its verified access token, or everything when
 * authorization is off.
 *
 * <p>A channel pattern is a channel name in which {@code *} stands for any run of characters, so {@code orders:*}
 * covers {@code orders:eu} and {@code orders:}, and {@code *} covers every channel. A channel name cannot contain
 * {@code *} itself.
 */
public final class AccessGrant {

    /** Key of the grant in the request's routing context, where {@link AccessGuard} puts it. */
    static final String CONTEXT_KEY = "orderly.access-grant";

    static final AccessGrant UNRESTRICTED = new AccessGrant(EnumSet.allOf(Permission.class), List.of("*"), null,
            null);

    /** Channel patterns named in a 403's detail. */
    static final int LISTED_PATTERNS = 10;

    private final Set<Permission> permissions;
    private final List<String> channelPatterns;
    private final Instant expiresAt;
    private final String token;

    AccessGrant(Set<Permission> permissions, List<String> channelPatterns, Instant expiresAt, String token) {
        this.permissions = permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(permissions);
        this.channelPatterns = List.copyOf(channelPatterns);
        this.expiresAt = expiresAt;
        this.token = token;
    }

    /** When the token stops being accepted (its {@code exp} plus the allowed clock skew), or null for no limit. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Returns the token the request carried, for a request made on the caller's behalf, or null when off. */
    public String token() {
        return token;
    }

    /**
     * Checks that the grant allows {@code permission} on {@code channel}.
     *
     * @throws AccessDeniedException 403 naming the channel when it does not
     */
    void require(Permission permission, String channel) {
        requirePermission(permission, channel);
        if (!covers(channel)) {
            throw AccessDeniedException.forbidden(channel, "the access token does not cover channel " + channel
                    + ": its channels are " + describePatterns() + ". Use a token whose channels claim names it or "
                    + "a pattern that matches it");
        }
    }

    /**
     * Checks that the grant's scope includes {@code permission}.
     *
     * @param channel the channel named in the 403, or null when the request concerns none yet
     */
    void requirePermission(Permission permission, String channel) {
        if (!permissions.contains(permission)) {
            throw AccessDeniedException.forbidden(channel, "the access token does not allow "
                    + permission.scopeValue() + ": its scope is \"" + scope() + "\". Use a token whose scope "
                    + "includes " + permission.scopeValue());
        }
    }

    private boolean covers(String channel) {
        for (String pattern : channelPatterns) {
            if (matches(pattern, channel)) {
                return true;
            }
        }
        return false;
    }

    /** Lists the channel patterns, at most {@link #LISTED_PATTERNS} of them, so an error message stays short. */
    private String describePatterns() {
        if (channelPatterns.size() <= LISTED_PATTERNS) {
            return channelPatterns.toString();
        }
        return channelPatterns.subList(0, LISTED_PATTERNS).toString().replace("]", ", and "
                + (channelPatterns.size() - LISTED_PATTERNS) + " more]");
    }

    private String scope() {
        return permissions.stream().map(Permission::scopeValue).collect(Collectors.joining(" "));
    }

    /**
     * Returns whether {@code pattern}, where {@code *} stands for any run of characters, matches all of
     * {@code name}. Backtracks only to the last {@code *}, so the work is at most the product of both lengths.
     */
    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int starMatchedUpTo = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starMatchedUpTo = n;
            } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                // Let the last * take one more character and match the rest of the pattern after it again.
                p = star + 1;
                n = ++starMatchedUpTo;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Describes the grant without its token, so that logging it cannot leak the token (AccessRulesTest checks). */
    @Override
    public String toString() {
        return "AccessGrant[scope=" + scope() + ", channels=" + channelPatterns + ", expiresAt=" + expiresAt + "]";
    }
}
