package dev.orderly.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.orderly.channel.ChannelEvent;
import dev.orderly.channel.ChannelKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The instance's single Redis pub/sub link, shared by every local subscriber. It sends {@code SUBSCRIBE} for a
 * channel's live feed when the channel's first local listener joins and {@code UNSUBSCRIBE} when its last one
 * leaves, and fans each live message out in memory, parsed once.
 *
 * <p>Guarantees: {@link #join} completes only after Redis has confirmed the subscription, so every event
 * published after that reaches the listener while the link holds. When the link drops, the hub reopens it,
 * subscribes again to every active channel and calls {@link Listener#onResubscribed}, so listeners read what
 * they missed from the stream. Only when Redis stays unreachable for all attempts of {@link PubSubLink} are the
 * listeners removed and notified through {@link Listener#onLinkLost}.
 *
 * <p>All state changes run on one Vert.x context, so commands reach Redis in the order the hub decided them and
 * need no locks. The link is a low-level connection whose handlers are set before the first {@code SUBSCRIBE},
 * because the Quarkus client's own subscribe registers its handler after the reply and can miss the
 * confirmation.
 */
@Startup
@ApplicationScoped
public class ChannelHub implements PubSubLink.Events {

    /** Receives one channel's live events. Callbacks run on the hub's event loop and must not block. */
    public interface Listener {

        void onEvent(ChannelEvent event);

        /** Called after the link was restored and the channel subscribed again: events may have been missed. */
        void onResubscribed();

        /** Called once when Redis stayed unreachable and the listener has been removed. */
        void onLinkLost(Throwable cause);

        /**
         * Called by the periodic position check with the channel's epoch and last offset in Redis, so the listener
         * can read events whose live message never arrived.
         */
        void onPosition(String epoch, long top);
    }

    private record PendingJoin(String live, Listener listener, UniEmitter<? super Void> emitter) {
    }

    private static final class Topic {
        final Set<Listener> listeners = new LinkedHashSet<>();
        final Map<Listener, UniEmitter<? super Void>> waiting = new HashMap<>();
        boolean confirmed;
        boolean resubscribing;
    }

    private final Context context;
    private final PubSubLink link;
    private final Counter linkDrops;
    private final Counter linkRestores;

    // Fields below are touched only on the hub's context.
    private final Map<String, Topic> topics = new HashMap<>();
    /** SUBSCRIBE commands sent and not yet confirmed, per live channel; replies arrive in command order. */
    private final Map<String, Integer> unconfirmed = new HashMap<>();
    /** Joins waiting for the link to open. */
    private final List<PendingJoin> waitingForLink = new ArrayList<>();

    private final AtomicInteger listenerCount = new AtomicInteger();
    private final AtomicInteger channelCount = new AtomicInteger();

    @Inject
    public ChannelHub(ReactiveRedisDataSource redis, io.vertx.mutiny.core.Vertx vertx, MeterRegistry meters) {
        // The bean is created at startup on the main thread, outside any Vert.x thread, so this creates a new
        // event-loop context instead of borrowing a request's.
        this.context = vertx.getDelegate().getOrCreateContext();
        this.link = new PubSubLink(() -> redis.getRedis().connect(), context, this);
        this.linkDrops = meters.counter("orderly.pubsub.link.drops");
        this.linkRestores = meters.counter("orderly.pubsub.link.restores");
        meters.gauge("orderly.subscribers", listenerCount);
        meters.gauge("orderly.pubsub.channels", channelCount);
    }

    /**
     * Adds {@code listener} to {@code channel}'s live feed. The returned {@code Uni} completes once Redis has
     * confirmed the subscription, and fails when the link cannot be opened.
     */
    public Uni<Void> join(String channel, Listener listener) {
        String live = ChannelKeys.of(channel).live();
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> {
            if (link.isOpen()) {
                doJoin(live, listener, emitter);
            } else {
                waitingForLink.add(new PendingJoin(live, listener, emitter));
                link.open();
            }
        }));
    }

    /** Removes {@code listener}; the last listener of a channel ends the Redis subscription. */
    public void leave(String channel, Listener listener) {
        String live = ChannelKeys.of(channel).live();
        context.runOnContext(ignored -> doLeave(live, listener));
    }

    /** Number of listeners over all channels on this instance. */
    public int listenerCount() {
        return listenerCount.get();
    }

    /** Number of channels this instance is subscribed to in Redis, or waiting to be. */
    public int channelCount() {
        return channelCount.get();
    }

    /** Passes the names of the channels with local listeners to {@code action}, on the hub's context. */
    public void withChannels(Consumer<List<String>> action) {
        context.runOnContext(ignored -> action.accept(topics.keySet().stream()
                .map(ChannelKeys::channelOfLive)
                .toList()));
    }

    /** Passes a channel's position in Redis to each of its listeners, on the hub's context. */
    public void notifyPosition(String channel, String epoch, long top) {
        String live = ChannelKeys.of(channel).live();
        context.runOnContext(ignored -> {
            Topic topic = topics.get(live);
            if (topic != null && topic.confirmed) {
                List.copyOf(topic.listeners).forEach(listener -> listener.onPosition(epoch, top));
            }
        });
    }

    void onShutdown(@Observes ShutdownEvent event) {
        // Observed before the Redis client shuts down, so the link's end is not reported as a failure.
        context.runOnContext(ignored -> link.close());
    }

    @PreDestroy
    void close() {
        context.runOnContext(ignored -> link.close());
    }

    @Override
    public void onOpen(boolean restored) {
        if (restored) {
            linkRestores.increment();
            Log.infof("Subscribing again to %d channels for %d channel subscriptions of local clients",
                    topics.size(), listenerCount.get());
            for (Map.Entry<String, Topic> entry : topics.entrySet()) {
                entry.getValue().confirmed = false;
                entry.getValue().resubscribing = true;
                subscribe(entry.getKey());
            }
        }
        List<PendingJoin> joins = List.copyOf(waitingForLink);
        waitingForLink.clear();
        joins.forEach(join -> doJoin(join.live(), join.listener(), join.emitter()));
    }

    @Override
    public boolean onDropped(Throwable cause) {
        unconfirmed.clear();
        if (topics.isEmpty()) {
            Log.debugf("Idle Redis pub/sub link closed: %s", cause.getMessage());
            return false;
        }
        linkDrops.increment();
        Log.warnf("Redis pub/sub link lost with %d channels and %d channel subscriptions of local clients, "
                + "reconnecting: %s", topics.size(), listenerCount.get(), cause.getMessage());
        return true;
    }

    @Override
    public void onUnavailable(Throwable cause) {
        List<PendingJoin> failedJoins = List.copyOf(waitingForLink);
        waitingForLink.clear();
        failedJoins.forEach(join -> join.emitter().fail(cause));
        List<Topic> dropped = new ArrayList<>(topics.values());
        topics.clear();
        unconfirmed.clear();
        listenerCount.set(0);
        channelCount.set(0);
        for (Topic topic : dropped) {
            topic.waiting.values().forEach(emitter -> emitter.fail(cause));
            topic.listeners.forEach(listener -> listener.onLinkLost(cause));
        }
    }

    @Override
    public void onReply(Response reply) {
        if (reply.size() < 3) {
            return;
        }
        String kind = reply.get(0).toString();
        String live = reply.get(1).toString();
        switch (kind) {
            case "message" -> dispatch(live, reply.get(2).toString());
            case "subscribe" -> confirm(live);
            default -> {
                // "unsubscribe" needs no action: the topic was removed when the command was sent.
            }
        }
    }

    private void doJoin(String live, Listener listener, UniEmitter<? super Void> emitter) {
        Topic topic = topics.get(live);
        if (topic == null) {
            topic = new Topic();
            topics.put(live, topic);
            channelCount.incrementAndGet();
            subscribe(live);
        }
        if (topic.listeners.add(listener)) {
            listenerCount.incrementAndGet();
        }
        if (topic.confirmed) {
            emitter.complete(null);
        } else {
            topic.waiting.put(listener, emitter);
        }
    }

    private void doLeave(String live, Listener listener) {
        // A listener that leaves before the link opened must not be joined later.
        waitingForLink.removeIf(join -> join.listener() == listener && join.live().equals(live));
        Topic topic = topics.get(live);
        if (topic == null || !topic.listeners.remove(listener)) {
            return;
        }
        listenerCount.decrementAndGet();
        topic.waiting.remove(listener);
        if (topic.listeners.isEmpty()) {
            topics.remove(live);
            channelCount.decrementAndGet();
            if (link.isOpen()) {
                link.send(Request.cmd(Command.UNSUBSCRIBE).arg(live));
            }
        }
    }

    private void subscribe(String live) {
        unconfirmed.merge(live, 1, Integer::sum);
        link.send(Request.cmd(Command.SUBSCRIBE).arg(live));
    }

    private void confirm(String live) {
        Integer remaining = unconfirmed.merge(live, -1, Integer::sum);
        if (remaining != null && remaining > 0) {
            // A later SUBSCRIBE for this channel is still in flight; its reply confirms the current topic.
            return;
        }
        unconfirmed.remove(live);
        Topic topic = topics.get(live);
        if (topic == null) {
            return;
        }
        topic.confirmed = true;
        List<UniEmitter<? super Void>> emitters = new ArrayList<>(topic.waiting.values());
        topic.waiting.clear();
        emitters.forEach(emitter -> emitter.complete(null));
        if (topic.resubscribing) {
            topic.resubscribing = false;
            List.copyOf(topic.listeners).forEach(Listener::onResubscribed);
        }
    }

    private void dispatch(String live, String message) {
        Topic topic = topics.get(live);
        if (topic == null) {
            return;
        }
        String channel = ChannelKeys.channelOfLive(live);
        ChannelEvent event;
        try {
            event = ChannelEvent.parseLive(channel, message);
        } catch (IllegalArgumentException e) {
            Log.errorf("Live message on channel %s is malformed and was dropped: %s", channel, e.getMessage());
            return;
        }
        for (Listener listener : List.copyOf(topic.listeners)) {
            listener.onEvent(event);
        }
    }
}
