package dev.orderly.delivery;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.config.OrderlyConfig;
import dev.orderly.error.Rejections;
import io.vertx.mutiny.core.Vertx;

/**
 * The open SSE connections of this instance. It numbers them, counts them and sends their heartbeats from one
 * timer instead of one timer per connection.
 */
@ApplicationScoped
public class SubscriptionRegistry {

    private final Map<Long, Subscription> open = new ConcurrentHashMap<>();
    /** Client address of each admitted connection, from admission until its subscription is removed. */
    private final Map<Long, String> admitted = new ConcurrentHashMap<>();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
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
        release(subscription.id());
    }

    /**
     * Admits connection {@code id} from {@code address} if this instance and that address are below their
     * connection limits. Returns null when admitted, otherwise the name of the limit reached; an admitted id is
     * released when its subscription is removed or by {@link #release}.
     */
    synchronized String admit(long id, String address) {
        if (admitted.size() >= config.delivery().maxConnections()) {
            return Rejections.CONNECTIONS;
        }
        if (perAddress.getOrDefault(address, 0) >= config.delivery().maxConnectionsPerAddress()) {
            return Rejections.CONNECTIONS_PER_ADDRESS;
        }
        admitted.put(id, address);
        perAddress.merge(address, 1, Integer::sum);
        return null;
    }

    synchronized void release(long id) {
        String address = admitted.remove(id);
        if (address != null) {
            perAddress.computeIfPresent(address, (ignored, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Number of admitted connections on this instance, including those still opening. */
    public int admittedCount() {
        return admitted.size();
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
