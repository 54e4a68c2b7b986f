package dev.orderly.hub;

import java.util.function.Function;

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

    @Override
    public Uni<Function<String, String>> resolve() {
        return Uni.createFrom().item(live -> NODE);
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
