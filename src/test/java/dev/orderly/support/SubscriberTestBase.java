package dev.orderly.support;

import java.net.URI;
import java.net.URL;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;

import dev.orderly.hub.ChannelHub;
import dev.orderly.delivery.SubscriptionRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Base of tests that open SSE subscriptions: gives them the endpoint, Redis and the service's subscription state,
 * and checks after each test that every subscription it opened was released.
 */
public abstract class SubscriberTestBase {

    @TestHTTPResource("/api/realtime")
    protected URL realtime;

    @Inject
    protected RedisDataSource redis;

    @Inject
    protected SubscriptionRegistry registry;

    @Inject
    protected ChannelHub hub;

    @AfterEach
    void subscriptionsReleased() {
        Released.assertAllReleased(redis, registry, hub);
    }

    /** Returns the subscribe URL for one channel, with an optional extra query such as {@code since=4}. */
    protected URI subscribeUri(String channel, String... query) {
        StringBuilder uri = new StringBuilder(realtime.toString()).append("?channel=").append(channel);
        for (String part : query) {
            uri.append('&').append(part);
        }
        return URI.create(uri.toString());
    }
}
