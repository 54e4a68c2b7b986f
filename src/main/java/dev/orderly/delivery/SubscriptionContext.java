package dev.orderly.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.orderly.channel.ChannelLog;
import dev.orderly.config.OrderlyConfig;

/** The shared services every {@link Subscription} uses, injected once. */
@ApplicationScoped
class SubscriptionContext {

    private final ChannelHub hub;
    private final ChannelLog log;
    private final SseFrames frames;
    private final SubscriptionRegistry registry;
    private final OrderlyConfig config;

    @Inject
    SubscriptionContext(ChannelHub hub, ChannelLog log, SseFrames frames, SubscriptionRegistry registry,
            OrderlyConfig config) {
        this.hub = hub;
        this.log = log;
        this.frames = frames;
        this.registry = registry;
        this.config = config;
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
