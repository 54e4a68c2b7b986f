package dev.orderly.hub;

import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;

/**
 * One Redis (standalone, or a Sentinel or replication set reached through the configured client): every live
 * channel is served by the same node, through connections of the application's Redis client.
 */
final class SingleRedisTopology implements PubSubTopology {

    static final String NODE = "redis";

    private final Redis redis;

    SingleRedisTopology(Redis redis) {
        this.redis = redis;
    }

    private static final Layout LAYOUT = new Layout() {
        @Override
        public String nodeOf(String live) {
            return NODE;
        }

        @Override
        public Set<String> nodes() {
            return Set.of(NODE);
        }
    };

    @Override
    public Uni<Layout> resolve() {
        return Uni.createFrom().item(LAYOUT);
    }

    @Override
    public Uni<RedisConnection> connect(String node) {
        return redis.connect();
    }

    @Override
    public void close() {
        // The connections belong to the application's client, which Quarkus closes.
    }
}
