package dev.orderly.delivery;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.orderly.channel.ChannelLog;
import dev.orderly.config.OrderlyConfig;
import dev.orderly.hub.ChannelHub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * The shared services every {@link Subscription} uses, injected once. Created at startup, so its metrics are
 * listed before the first subscriber arrives. A {@code @Singleton} rather than {@code @ApplicationScoped}, so the
 * per-frame calls on the delivery path go to the bean itself instead of through a client proxy.
 */
@Startup
@Singleton
class SubscriptionContext {

    private final ChannelHub hub;
    private final ChannelLog log;
    private final SseFrames frames;
    private final SubscriptionRegistry registry;
    private final OrderlyConfig config;
    private final Counter slowSubscribers;
    private final Counter expiredTokenCloses;
    private final Counter gapNotices;
    private final Counter resetNotices;
    private final Counter catchUps;
    private final Counter gapFills;
    private final Counter deliveries;
    private final Timer deliveryLatency;

    @Inject
    SubscriptionContext(ChannelHub hub, ChannelLog log, SseFrames frames, SubscriptionRegistry registry,
            OrderlyConfig config, MeterRegistry meters) {
        this.hub = hub;
        this.log = log;
        this.frames = frames;
        this.registry = registry;
        this.config = config;
        this.slowSubscribers = meters.counter("orderly.subscribers.closed.slow");
        this.expiredTokenCloses = meters.counter("orderly.subscribers.closed.token.expired");
        this.gapNotices = meters.counter("orderly.notices.gap");
        this.resetNotices = meters.counter("orderly.notices.reset");
        this.catchUps = meters.counter("orderly.position.catchups");
        this.gapFills = meters.counter("orderly.gaps.filled");
        this.deliveries = meters.counter("orderly.events.delivered");
        this.deliveryLatency = Timer.builder("orderly.delivery.latency")
                .description("Time from an event's emit to its frame being written to a subscriber's connection")
                .register(meters);
    }

    /**
     * Counts {@code count} event frames handed to a subscriber's connection and records the latency of each from
     * its entry in {@code emittedAt} (epoch ms of the emitting instance's clock, so skew between instances shifts
     * it).
     */
    void countDeliveries(long[] emittedAt, int count) {
        if (count == 0) {
            return;
        }
        deliveries.increment(count);
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            deliveryLatency.record(Math.max(0, now - emittedAt[i]), TimeUnit.MILLISECONDS);
        }
    }

    /** Counts stream reads started because a live event's offset jumped past the next expected one. */
    Counter gapFills() {
        return gapFills;
    }

    /** Counts {@code gap} frames sent. */
    Counter gapNotices() {
        return gapNotices;
    }

    /** Counts {@code reset} frames sent. */
    Counter resetNotices() {
        return resetNotices;
    }

    /** Counts reads started because the position check found a subscriber behind its channel's top. */
    Counter catchUps() {
        return catchUps;
    }

    /** Counts subscribers closed because their queue was full. */
    Counter slowSubscribers() {
        return slowSubscribers;
    }

    /** Counts subscribers closed because their access token expired. */
    Counter expiredTokenCloses() {
        return expiredTokenCloses;
    }

    ChannelHub hub() {
        return hub;
    }

    ChannelLog log() {
        return log;
    }

    SseFrames frames() {
        return frames;
    }

    SubscriptionRegistry registry() {
        return registry;
    }

    OrderlyConfig config() {
        return config;
    }
}
