package dev.orderly.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.client.RedisOptionsCustomizer;
import io.quarkus.redis.runtime.client.config.RedisConfig;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * The connection settings of the default Redis client, kept so that the pub/sub hub can connect to single nodes
 * of a Redis Cluster with the same credentials, TLS and protocol settings as every other Redis connection.
 *
 * <p>Quarkus calls {@link #customize} while it creates the client, before any bean that injects the client is
 * built, and this bean changes nothing.
 */
@ApplicationScoped
public class RedisNodes implements RedisOptionsCustomizer {

    private volatile RedisOptions defaults;

    @Override
    public void customize(String clientName, RedisOptions options) {
        if (RedisConfig.isDefaultClient(clientName)) {
            defaults = new RedisOptions(options);
        }
    }

    /**
     * Returns options for a standalone connection to one node, {@code host:port}, with the scheme and user info
     * of the first configured address.
     */
    public RedisOptions nodeOptions(String endpoint) {
        RedisOptions base = requireDefaults();
        URI first = URI.create(base.getEndpoint());
        String userInfo = first.getRawUserInfo() == null ? "" : first.getRawUserInfo() + "@";
        String address = first.getScheme() + "://" + userInfo + endpoint;
        return new RedisOptions(base)
                .setType(RedisClientType.STANDALONE)
                .setEndpoints(new ArrayList<>(List.of(address)))
                .setMaxPoolSize(2);
    }

    private RedisOptions requireDefaults() {
        RedisOptions options = defaults;
        if (options == null) {
            throw new IllegalStateException("the default Redis client has not been created yet");
        }
        return options;
    }
}
