package dev.orderly.emit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.config.OrderlyConfig;
import io.vertx.mutiny.core.Vertx;

/**
 * Token buckets, one per channel, that bound the emits per second this instance accepts on a channel. A bucket holds
 * up to one second's worth of tokens and refills continuously. Each instance counts only the emits it receives, so
 * with N instances a channel may take up to N times the rate.
 */
@ApplicationScoped
public class ChannelRateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SWEEP_INTERVAL_MS = 60_000;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final int ratePerSecond;
    private long timerId = -1;

    @Inject
    public ChannelRateLimiter(Vertx vertx, OrderlyConfig config) {
        this.vertx = vertx;
        this.ratePerSecond = config.emit().maxRatePerChannel();
    }

    /**
     * Takes one token for {@code channel}. Returns 0 when the emit may go ahead, otherwise the whole seconds to wait
     * until a token is available (at least 1).
     */
    public long acquire(String channel) {
        if (ratePerSecond <= 0) {
            return 0;
        }
        Bucket bucket = buckets.computeIfAbsent(channel, ignored -> new Bucket(ratePerSecond, System.nanoTime()));
        return bucket.take(ratePerSecond, System.nanoTime());
    }

    /** Limit in emits per second per channel, 0 when off. */
    public int ratePerSecond() {
        return ratePerSecond;
    }

    @PostConstruct
    void startSweeping() {
        // Full buckets behave like new ones, so dropping them bounds memory to the channels emitted to lately.
        timerId = vertx.setPeriodic(SWEEP_INTERVAL_MS, ignored -> {
            long now = System.nanoTime();
            buckets.values().removeIf(bucket -> bucket.isFull(ratePerSecond, now));
        });
    }

    @PreDestroy
    void stopSweeping() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private static final class Bucket {

        private double tokens;
        private long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }

        synchronized long take(int rate, long now) {
            refill(rate, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double secondsToWait = (1 - tokens) / rate;
            return Math.max(1, (long) Math.ceil(secondsToWait));
        }

        synchronized boolean isFull(int rate, long now) {
            refill(rate, now);
            return tokens >= rate;
        }

        private void refill(int rate, long now) {
            double elapsedSeconds = (double) (now - updatedNanos) / NANOS_PER_SECOND;
            tokens = Math.min(rate, tokens + elapsedSeconds * rate);
            updatedNanos = now;
        }
    }
}
