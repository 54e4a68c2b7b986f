package dev.orderly.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Keeps about 100 events per channel and reads history one stream entry per Redis round trip, so a replay is slow
 * next to a fast producer and old offsets are trimmed after a short run.
 */
public class TightHistoryProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "orderly.channel.retention", "100",
                "orderly.delivery.history-page-size", "1");
    }
}
