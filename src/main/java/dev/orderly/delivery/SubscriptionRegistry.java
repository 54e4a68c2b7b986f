package dev.orderly.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.config.OrderlyConfig;
import io.vertx.mutiny.core.Vertx;

/**
 * The open SSE connections of this instance. It numbers them, counts them and sends their heartbeats from one
 * timer instead of one timer per connection.
 */
@ApplicationScoped
public class SubscriptionRegistry {

    private final Map<Long, Subscription> open = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final Vertx vertx;
    private final OrderlyConfig config;
    private long timerId = -1;

    @Inject
    public SubscriptionRegistry(Vertx vertx, OrderlyConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    /** Number of open SSE connections on this instance. */
    public int size() {
        return open.size();
    }

    long nextId() {
        return nextId.incrementAndGet();
    }

    void add(Subscription subscription) {
        open.put(subscription.id(), subscription);
    }

    void remove(Subscription subscription) {
        open.remove(subscription.id());
    }

    /** Closes every open connection with an {@code error} frame giving {@code reason} and its cursor. */
    void closeAll(String reason, String message) {
        open.values().forEach(subscription -> subscription.close(reason, message));
    }

    @PostConstruct
    void startHeartbeats() {
        long interval = Math.max(1, config.delivery().heartbeat().toMillis());
        timerId = vertx.setPeriodic(interval, ignored -> open.values().forEach(Subscription::sendHeartbeat));
    }

    @PreDestroy
    void stopHeartbeats() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }
}
