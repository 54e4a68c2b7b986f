package dev.orderly.http;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Small emit rate and connection limits, the reproduction turned off as in production, and CORS on for one origin.
 */
public class TightLimitsProfile implements QuarkusTestProfile {

    static final String ALLOWED_ORIGIN = "http://127.0.0.1:3000";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "orderly.emit.max-rate-per-channel", "2",
                "orderly.delivery.max-connections-per-address", "2",
                "orderly.reproduction.enabled", "false",
                "quarkus.http.cors.enabled", "true",
                "quarkus.http.cors.origins", ALLOWED_ORIGIN);
    }
}
