package dev.orderly.delivery;

import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.channel.ChannelLog;
import dev.orderly.config.OrderlyConfig;
import dev.orderly.hub.ChannelHub;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;

/**
 * Periodically reads the position of every channel with local subscribers and hands it to them. Contiguous
 * offsets reveal a lost live message only when a later event arrives, so without this check the last event of a
 * burst could wait forever. With it, such an event arrives within one interval.
 */
@Startup
@ApplicationScoped
public class PositionCheck {

    /** Position reads in flight at once, so a check over many channels does not drain the Redis pool. */
    private static final int CONCURRENT_READS = 8;

    private final ChannelHub hub;
    private final ChannelLog log;
    private final Vertx vertx;
    private final OrderlyConfig config;
    private long timerId = -1;

    @Inject
    public PositionCheck(ChannelHub hub, ChannelLog log, Vertx vertx, OrderlyConfig config) {
        this.hub = hub;
        this.log = log;
        this.vertx = vertx;
        this.config = config;
    }

    @PostConstruct
    void start() {
        long interval = Math.max(1, config.delivery().positionCheck().toMillis());
        timerId = vertx.setPeriodic(interval, ignored -> hub.withChannels(this::check));
    }

    @PreDestroy
    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void check(List<String> channels) {
        Multi.createFrom().iterable(channels)
                .onItem().transformToUni(channel -> log.position(channel)
                        .invoke(page -> hub.notifyPosition(channel, page.epoch(), page.top())))
                .merge(CONCURRENT_READS)
                .collect().last()
                .subscribe().with(
                        ignored -> {
                        },
                        failure -> Log.warnf("Position check of %d channels failed: %s", channels.size(),
                                failure.getMessage()));
    }
}
