package dev.orderly.access;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Turns channel access tokens on with a known secret and no clock skew, so an expiring token ends a subscription
 * within seconds.
 */
public class AccessTokenProfile implements QuarkusTestProfile {

    /** The HS256 secret tokens are signed with: 40 bytes. */
    public static final String SECRET = "test-secret-for-channel-access-tokens-40";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "orderly.auth.enabled", "true",
                "orderly.auth.token-secret", SECRET,
                "orderly.auth.clock-skew", "0s");
    }
}
