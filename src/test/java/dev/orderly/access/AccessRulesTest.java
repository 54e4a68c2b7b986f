package dev.orderly.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;

/** Channel patterns, permission checks and the startup decision on access tokens, without a running service. */
class AccessRulesTest {

    private static final String SECRET = "a-secret-of-exactly-thirty-two-b";

    @Test
    void patternsMatchWholeNames() {
        assertTrue(AccessGrant.matches("orders:eu", "orders:eu"));
        assertFalse(AccessGrant.matches("orders:eu", "orders:eu2"));
        assertFalse(AccessGrant.matches("orders:eu", "orders:e"));
        assertTrue(AccessGrant.matches("orders:*", "orders:eu"));
        assertTrue(AccessGrant.matches("orders:*", "orders:"));
        assertFalse(AccessGrant.matches("orders:*", "orders"));
        assertFalse(AccessGrant.matches("orders:*", "billing:orders:eu"));
        assertTrue(AccessGrant.matches("*", "anything.at-all"));
        assertTrue(AccessGrant.matches("*:eu", "orders:eu"));
        assertFalse(AccessGrant.matches("*:eu", "orders:eu:x"));
        assertTrue(AccessGrant.matches("a*b*c", "a-b-b-c"));
        assertFalse(AccessGrant.matches("a*b*c", "a-c-b"));
        assertTrue(AccessGrant.matches("**", "x"));
        assertFalse(AccessGrant.matches("", "x"));
    }

    @Test
    void longPatternStaysFast() {
        // A naive backtracking matcher takes exponential time on this pair, so the limit only stops a hang.
        String name = "a".repeat(256);
        String pattern = "*a".repeat(40) + "b";

        assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> AccessGrant.matches(pattern, name)));
    }

    @Test
    void grantChecksPermissionThenChannel() {
        AccessGrant grant = new AccessGrant(EnumSet.of(Permission.SUBSCRIBE), List.of("orders:*"), null,
                "token-text");

        grant.require(Permission.SUBSCRIBE, "orders:eu");
        AccessDeniedException noEmit = assertThrows(AccessDeniedException.class,
                () -> grant.require(Permission.EMIT, "orders:eu"));
        AccessDeniedException otherChannel = assertThrows(AccessDeniedException.class,
                () -> grant.require(Permission.SUBSCRIBE, "billing"));

        assertEquals(403, noEmit.status());
        assertEquals("forbidden", noEmit.reason());
        assertEquals("orders:eu", noEmit.value());
        assertEquals("billing", otherChannel.value());
        assertEquals("AccessGrant[scope=subscribe, channels=[orders:*], expiresAt=null]", grant.toString());
    }

    @Test
    void noPermissionsAllowNothing() {
        AccessGrant grant = new AccessGrant(EnumSet.noneOf(Permission.class), List.of(), null, "t");

        assertThrows(AccessDeniedException.class, () -> grant.require(Permission.SUBSCRIBE, "orders"));
        assertThrows(AccessDeniedException.class, () -> grant.require(Permission.EMIT, "orders"));
    }

    @Test
    void startupDecision() {
        assertFalse(AccessTokens.resolveEnabled(Optional.of("false"), Optional.empty()));
        assertFalse(AccessTokens.resolveEnabled(Optional.of("FALSE"), Optional.of(SECRET)));
        assertTrue(AccessTokens.resolveEnabled(Optional.empty(), Optional.of(SECRET)));
        assertTrue(AccessTokens.resolveEnabled(Optional.of(" true "), Optional.of(SECRET)));
    }

    @Test
    void mistypedSwitchStopsStartup() {
        for (String value : List.of("maybe", "treu", "0", "no", "")) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> AccessTokens.resolveEnabled(Optional.of(value), Optional.of(SECRET)), value);

            assertEquals("orderly.auth.enabled is \"" + value + "\"; it must be true or false. Set "
                    + "ORDERLY_AUTH_ENABLED=false to serve every client without a token, or leave it unset and set "
                    + "ORDERLY_AUTH_TOKEN_SECRET", e.getMessage());
        }
    }

    @Test
    void forbiddenDetailListsTenPatterns() {
        List<String> patterns = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            patterns.add("p" + i);
        }
        AccessGrant grant = new AccessGrant(EnumSet.of(Permission.SUBSCRIBE), patterns, null, "token-text");

        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> grant.require(Permission.SUBSCRIBE, "other"));

        assertEquals("the access token does not cover channel other: its channels are [p1, p2, p3, p4, p5, p6, p7, "
                + "p8, p9, p10, and 2 more]. Use a token whose channels claim names it or a pattern that matches it",
                e.getMessage());
    }

    @Test
    void startupRejectsOpenConfiguration() {
        ConfigurationException neither = assertThrows(ConfigurationException.class,
                () -> AccessTokens.resolveEnabled(Optional.empty(), Optional.empty()));
        ConfigurationException onWithoutSecret = assertThrows(ConfigurationException.class,
                () -> AccessTokens.resolveEnabled(Optional.of("true"), Optional.empty()));
        ConfigurationException shortSecret = assertThrows(ConfigurationException.class,
                () -> AccessTokens.resolveEnabled(Optional.empty(), Optional.of(SECRET.substring(1))));

        assertTrue(neither.getMessage().contains("ORDERLY_AUTH_TOKEN_SECRET"), neither.getMessage());
        assertTrue(neither.getMessage().contains("ORDERLY_AUTH_ENABLED=false"), neither.getMessage());
        assertTrue(onWithoutSecret.getMessage().startsWith("orderly.auth.enabled=true needs orderly.auth.token-secret"),
                onWithoutSecret.getMessage());
        assertEquals("orderly.auth.token-secret has 31 bytes; HS256 needs at least 32. Set ORDERLY_AUTH_TOKEN_SECRET "
                + "to a longer secret", shortSecret.getMessage());
    }
}
