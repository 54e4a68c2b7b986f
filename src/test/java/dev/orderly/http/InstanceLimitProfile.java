package dev.orderly.http;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** At most two SSE connections on the instance, with a higher limit per address so the instance limit applies. */
public class InstanceLimitProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "orderly.delivery.max-connections", "2",
                "orderly.delivery.max-connections-per-address", "10");
    }
}
