package dev.orderly.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Runs the application against the Redis Cluster of {@link ClusterRedis} instead of the embedded Redis, which is
 * Redis 6.2 and has no sharded pub/sub. Test classes with this profile need {@value ClusterRedis#NODES_VARIABLE}.
 */
public class ClusterProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // Quarkus reads the overrides while it orders test classes, even those a condition will skip, so a
        // missing cluster must not fail here.
        String hosts = ClusterRedis.isConfigured() ? ClusterRedis.hosts() : "redis://127.0.0.1:1";
        return Map.of(
                "quarkus.redis.client-type", "cluster",
                "quarkus.redis.hosts", hosts);
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
