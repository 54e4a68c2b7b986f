package dev.orderly.hub;

import java.time.Duration;
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

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.orderly.channel.ChannelEvent;
import dev.orderly.channel.ChannelKeys;
import dev.orderly.channel.LiveFeedMode;
import dev.orderly.config.OrderlyConfig;
import dev.orderly.config.RedisNodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.redis.client.RedisClientType;

/**
 * The instance's Redis pub/sub links, shared by every local subscriber. It subscribes to a channel's live feed
 * when the channel's first local listener joins and unsubscribes when its last one leaves, and fans each live
 * message out in memory, parsed once. On a single Redis there is one link. On Redis Cluster there is one link,
 * with sharded pub/sub, per master that serves a subscribed channel, so the number of pub/sub connections is
 * bounded by the number of nodes, not channels.
 *
 * <p>Guarantees: {@link #join} completes only after Redis has confirmed the subscription, so every event
 * published after that reaches the listener while the link holds. When a link drops, or a channel's slot moves
 * to another master (the node ends the subscription, or replies {@code MOVED}), the hub reads the layout again,
 * subscribes at the node that now serves the channel and calls {@link Listener#onResubscribed}, so listeners read
 * what they missed from the stream. Only when Redis stays unreachable for {@value #MAX_ATTEMPTS} attempts (100 ms
 * doubling to 5 s between them, about 31 s in all) are the listeners removed and notified through
 * {@link Listener#onLinkLost}; a channel that was never confirmed fails at the first attempt instead, so a new
 * subscriber learns at once that Redis is down.
 *
 * <p>All state changes run on one Vert.x context, so commands reach Redis in the order the hub decided them and
 * need no locks. Each link is a low-level connection whose handlers are set before the first subscribe command,
 * because the Quarkus client's own subscribe registers its handler after the reply and can miss the
 * confirmation.
 */
@Startup
@ApplicationScoped
public class ChannelHub implements PubSubShard.Events {

    /** Receives one channel's live events. Callbacks run on the hub's event loop and must not block. */
    public interface Listener {

        void onEvent(ChannelEvent event);

        /** Called after the channel was subscribed again, on the same or another node: events may have been missed. */
        void onResubscribed();

        /** Called once when Redis stayed unreachable and the listener has been removed. */
        void onLinkLost(Throwable cause);

        /**
         * Called by the periodic position check with the channel's epoch and last offset in Redis, so the listener
         * can read events whose live message never arrived.
         */
        void onPosition(String epoch, long top);
    }

    private static final class Topic {
        final Set<Listener> listeners = new LinkedHashSet<>();
        final Map<Listener, UniEmitter<? super Void>> waiting = new HashMap<>();
        /** The shard the channel is placed on, or {@code null} while it waits for a node. */
        PubSubShard shard;
        /** The node that last confirmed the subscription, kept across moves. */
        String confirmedNode;
        boolean confirmed;
        boolean resubscribing;
        /** Failed attempts to place a channel that was never confirmed; the second one fails its joins. */
        int failedPlacements;
    }

    static final int MAX_ATTEMPTS = 12;
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);
    /** Maximum wait for the layout, or silence of a link with a PING in flight, before a node counts as lost. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private final Context context;
    private final LiveFeedMode mode;
    private final PubSubTopology topology;
    private final Counter linkDrops;
    private final Counter linkRestores;
    private final Counter channelMoves;

    // Fields below are touched only on the hub's context.
    private final Map<String, Topic> topics = new HashMap<>();
    private final Map<String, PubSubShard> shards = new HashMap<>();
    /** Live channels waiting to be placed on a node, after a drop, a move or a failed attempt. */
    private final Set<String> unplaced = new LinkedHashSet<>();
    /** Layout mapping each channel to its node, {@code null} until read and after any sign that it changed. */
    private PubSubTopology.Layout layout;
    private boolean resolving;
    private boolean retryScheduled;
    private int failedAttempts;

    private final AtomicInteger listenerCount = new AtomicInteger();
    private final AtomicInteger channelCount = new AtomicInteger();
    private final AtomicInteger openLinks = new AtomicInteger();

    private final long maintenanceTimer;

    @Inject
    public ChannelHub(ReactiveRedisDataSource redis, io.vertx.mutiny.core.Vertx vertx, MeterRegistry meters,
            RedisNodes nodes, OrderlyConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone")
            RedisClientType clientType) {
        // The bean is created at startup on the main thread, outside any Vert.x thread, so this creates a new
        // event-loop context instead of borrowing a request's.
        this.context = vertx.getDelegate().getOrCreateContext();
        this.mode = LiveFeedMode.of(clientType);
        this.topology = mode == LiveFeedMode.SHARDED
                ? new ClusterTopology(redis.getRedis(), vertx, nodes)
                : new SingleRedisTopology(redis.getRedis());
        this.linkDrops = meters.counter("orderly.pubsub.link.drops");
        this.linkRestores = meters.counter("orderly.pubsub.link.restores");
        this.channelMoves = meters.counter("orderly.pubsub.channel.moves");
        meters.gauge("orderly.subscribers", listenerCount);
        meters.gauge("orderly.pubsub.channels", channelCount);
        meters.gauge("orderly.pubsub.links", openLinks);
        long interval = Math.max(1, config.delivery().positionCheck().toMillis());
        this.maintenanceTimer = vertx.getDelegate().setPeriodic(interval,
                ignored -> context.runOnContext(tick -> maintain()));
    }

    /**
     * Adds {@code listener} to {@code channel}'s live feed. The returned {@code Uni} completes once Redis has
     * confirmed the subscription, and fails when the link cannot be opened.
     */
    public Uni<Void> join(String channel, Listener listener) {
        String live = ChannelKeys.of(channel).live();
        return Uni.createFrom().emitter(emitter -> context.runOnContext(ignored -> doJoin(live, listener, emitter)));
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

    /** Number of open pub/sub connections to Redis: one per node that serves a subscribed channel. */
    public int linkCount() {
        return openLinks.get();
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
        // Observed before the Redis client shuts down, so the links' end is not reported as a failure.
        context.runOnContext(ignored -> closeLinks());
    }

    @PreDestroy
    void close() {
        context.runOnContext(ignored -> closeLinks());
    }

    private void closeLinks() {
        context.owner().cancelTimer(maintenanceTimer);
        shards.values().forEach(PubSubShard::close);
        shards.clear();
        openLinks.set(0);
        topology.close();
    }

    private void doJoin(String live, Listener listener, UniEmitter<? super Void> emitter) {
        Topic topic = topics.get(live);
        if (topic == null) {
            topic = new Topic();
            topics.put(live, topic);
            channelCount.incrementAndGet();
            unplaced.add(live);
        }
        if (topic.listeners.add(listener)) {
            listenerCount.incrementAndGet();
        }
        if (topic.confirmed) {
            emitter.complete(null);
        } else {
            topic.waiting.put(listener, emitter);
        }
        placeUnplaced();
    }

    private void doLeave(String live, Listener listener) {
        Topic topic = topics.get(live);
        if (topic == null || !topic.listeners.remove(listener)) {
            return;
        }
        listenerCount.decrementAndGet();
        topic.waiting.remove(listener);
        if (topic.listeners.isEmpty()) {
            topics.remove(live);
            channelCount.decrementAndGet();
            unplaced.remove(live);
            if (topic.shard != null) {
                topic.shard.remove(live);
            }
        }
    }

    /** Places every unplaced channel on the node that serves it, reading the layout first when it is unknown. */
    private void placeUnplaced() {
        if (unplaced.isEmpty() || resolving || retryScheduled) {
            return;
        }
        if (layout == null) {
            resolving = true;
            resolveLayout().subscribe().with(
                    resolved -> context.runOnContext(ignored -> {
                        resolving = false;
                        layout = resolved;
                        placeUnplaced();
                    }),
                    failure -> context.runOnContext(ignored -> {
                        resolving = false;
                        placementFailed(List.copyOf(unplaced), failure);
                    }));
            return;
        }
        List<String> waiting = List.copyOf(unplaced);
        unplaced.clear();
        List<String> homeless = new ArrayList<>();
        for (String live : waiting) {
            Topic topic = topics.get(live);
            if (topic == null || topic.shard != null) {
                continue;
            }
            String node = layout.nodeOf(live);
            if (node == null) {
                homeless.add(live);
                continue;
            }
            topic.shard = shards.computeIfAbsent(node, this::newShard);
            topic.shard.add(live);
        }
        if (!homeless.isEmpty()) {
            placementFailed(homeless, new IllegalStateException("no Redis node serves the slot of " + homeless.get(0)));
        }
    }

    private Uni<PubSubTopology.Layout> resolveLayout() {
        return topology.resolve()
                .ifNoItem().after(REPLY_TIMEOUT).failWith(() -> new IllegalStateException(
                        "Redis did not return the cluster layout within " + REPLY_TIMEOUT.toMillis() + " ms"));
    }

    /**
     * Runs every position check interval: checks that each link still gets replies, and on a cluster reads the
     * layout again and moves channels whose node changed without the hub noticing. A master that became a replica
     * keeps its sharded subscriptions and ends none of them (seen with Redis 7.0.15), and a failover seen by no
     * link of this instance leaves the cached layout stale.
     */
    private void maintain() {
        shards.values().forEach(shard -> shard.ping(REPLY_TIMEOUT));
        if (mode != LiveFeedMode.SHARDED || resolving) {
            return;
        }
        resolving = true;
        resolveLayout().subscribe().with(
                resolved -> context.runOnContext(ignored -> {
                    resolving = false;
                    layout = resolved;
                    moveMisplaced(resolved);
                    placeUnplaced();
                }),
                failure -> context.runOnContext(ignored -> {
                    resolving = false;
                    Log.debugf("Reading the Redis Cluster layout for the periodic check failed: %s",
                            failure.getMessage());
                }));
    }

    /** Subscribes again, where {@code current} places them, to channels subscribed at another node. */
    private void moveMisplaced(PubSubTopology.Layout current) {
        for (PubSubShard shard : List.copyOf(shards.values())) {
            for (String live : List.copyOf(shard.channels())) {
                String node = current.nodeOf(live);
                Topic topic = topics.get(live);
                if (node == null || node.equals(shard.node()) || topic == null) {
                    continue;
                }
                Log.infof("Channel %s is served by Redis node %s now, not %s; subscribing there",
                        ChannelKeys.channelOfLive(live), node, shard.node());
                shard.remove(live);
                unplace(live, topic);
            }
            if (shard.channels().isEmpty() && !current.nodes().contains(shard.node())) {
                Log.debugf("Closing the idle Redis pub/sub link to %s, which serves no slot now", shard.node());
                shards.remove(shard.node(), shard);
                if (shard.isOpen()) {
                    openLinks.decrementAndGet();
                }
                shard.close();
            }
        }
    }

    private PubSubShard newShard(String node) {
        return new PubSubShard(node, mode, topology, context, this);
    }

    /**
     * Handles channels that could not be placed or subscribed: a channel that was never confirmed fails now,
     * the others wait for the next attempt.
     */
    private void placementFailed(List<String> lives, Throwable cause) {
        layout = null;
        for (String live : lives) {
            Topic topic = topics.get(live);
            if (topic == null) {
                unplaced.remove(live);
            } else if (topic.resubscribing || ++topic.failedPlacements < 2) {
                // A channel that never confirmed gets a second attempt with a freshly read layout, in case the
                // cached one named a node that failed over since.
                unplaced.add(live);
            } else {
                unplaced.remove(live);
                fail(live, topic, cause);
            }
        }
        if (!unplaced.isEmpty()) {
            retryLater(cause);
        }
    }

    private void retryLater(Throwable cause) {
        layout = null;
        if (retryScheduled) {
            return;
        }
        failedAttempts++;
        if (failedAttempts >= MAX_ATTEMPTS) {
            Log.warnf("Redis pub/sub could not be restored for %d channels after %d attempts, closing their "
                    + "subscriptions: %s", unplaced.size(), failedAttempts, cause.getMessage());
            failedAttempts = 0;
            List<String> lost = List.copyOf(unplaced);
            unplaced.clear();
            for (String live : lost) {
                Topic topic = topics.get(live);
                if (topic != null) {
                    fail(live, topic, cause);
                }
            }
            return;
        }
        long delay = Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << Math.min(failedAttempts - 1, 16));
        Log.debugf("Redis pub/sub attempt %d for %d channels failed, next in %d ms: %s", failedAttempts,
                unplaced.size(), delay, cause.getMessage());
        retryScheduled = true;
        context.owner().setTimer(delay, ignored -> {
            retryScheduled = false;
            placeUnplaced();
        });
    }

    /** Removes a channel whose subscription cannot be made and notifies each of its listeners. */
    private void fail(String live, Topic topic, Throwable cause) {
        topics.remove(live);
        channelCount.decrementAndGet();
        listenerCount.addAndGet(-topic.listeners.size());
        List<UniEmitter<? super Void>> emitters = new ArrayList<>(topic.waiting.values());
        topic.waiting.clear();
        emitters.forEach(emitter -> emitter.fail(cause));
        List.copyOf(topic.listeners).forEach(listener -> listener.onLinkLost(cause));
    }

    /** Takes {@code live} off its node: it will be subscribed again, wherever the layout then places it. */
    private void unplace(String live, Topic topic) {
        topic.shard = null;
        topic.resubscribing = topic.resubscribing || topic.confirmed;
        topic.confirmed = false;
        unplaced.add(live);
    }

    @Override
    public void onOpen(PubSubShard shard) {
        openLinks.incrementAndGet();
        failedAttempts = 0;
        long resubscribing = shard.channels().stream()
                .map(topics::get)
                .filter(topic -> topic != null && topic.resubscribing)
                .count();
        if (resubscribing > 0) {
            linkRestores.increment();
            Log.infof("Redis pub/sub link to %s open, subscribing again to %d channels", shard.node(),
                    resubscribing);
        }
    }

    @Override
    public void onDropped(PubSubShard shard, Throwable cause) {
        openLinks.decrementAndGet();
        shards.remove(shard.node(), shard);
        List<String> lives = List.copyOf(shard.channels());
        shard.channels().clear();
        if (lives.isEmpty()) {
            Log.debugf("Idle Redis pub/sub link to %s closed: %s", shard.node(), cause.getMessage());
            return;
        }
        linkDrops.increment();
        Log.warnf("Redis pub/sub link to %s lost with %d channels and %d channel subscriptions of local clients, "
                + "subscribing again: %s", shard.node(), lives.size(), listenerCount.get(), cause.getMessage());
        for (String live : lives) {
            Topic topic = topics.get(live);
            if (topic != null) {
                // A confirmed channel catches up once subscribed again. One whose confirmation was still in flight
                // has no reader yet, so it is placed like a new channel and fails fast if Redis stays down.
                unplace(live, topic);
            }
        }
        layout = null;
        placeUnplaced();
    }

    @Override
    public void onUnavailable(PubSubShard shard, Throwable cause) {
        shards.remove(shard.node(), shard);
        List<String> lives = List.copyOf(shard.channels());
        shard.channels().clear();
        for (String live : lives) {
            Topic topic = topics.get(live);
            if (topic != null) {
                unplace(live, topic);
            }
        }
        if (!lives.isEmpty()) {
            Log.warnf("Redis pub/sub link to %s could not be opened for %d channels: %s", shard.node(),
                    lives.size(), cause.getMessage());
        }
        placementFailed(lives, cause);
    }

    @Override
    public void onMessage(String live, String message) {
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

    @Override
    public void onSubscribed(PubSubShard shard, String live) {
        Topic topic = topics.get(live);
        if (topic == null || topic.shard != shard) {
            return;
        }
        failedAttempts = 0;
        topic.confirmed = true;
        if (topic.confirmedNode != null && !topic.confirmedNode.equals(shard.node())) {
            channelMoves.increment();
            Log.infof("Channel %s moved from Redis node %s to %s", ChannelKeys.channelOfLive(live),
                    topic.confirmedNode, shard.node());
        }
        topic.confirmedNode = shard.node();
        List<UniEmitter<? super Void>> emitters = new ArrayList<>(topic.waiting.values());
        topic.waiting.clear();
        emitters.forEach(emitter -> emitter.complete(null));
        if (topic.resubscribing) {
            topic.resubscribing = false;
            List.copyOf(topic.listeners).forEach(Listener::onResubscribed);
        }
    }

    @Override
    public void onRejected(PubSubShard shard, String live, String error) {
        Topic topic = topics.get(live);
        if (topic == null || topic.shard != shard) {
            return;
        }
        shard.forget(live);
        unplace(live, topic);
        if (error.startsWith("MOVED") || error.startsWith("ASK")) {
            Log.debugf("Channel %s is no longer served by Redis node %s (%s), reading the cluster layout again",
                    ChannelKeys.channelOfLive(live), shard.node(), error);
        } else {
            Log.warnf("Redis node %s rejected the subscription to channel %s, trying again: %s", shard.node(),
                    ChannelKeys.channelOfLive(live), error);
        }
        retryLater(new IllegalStateException(error));
    }

    @Override
    public void onEndedByServer(PubSubShard shard, String live) {
        Topic topic = topics.get(live);
        if (topic == null || topic.shard != shard) {
            return;
        }
        shard.forget(live);
        unplace(live, topic);
        Log.debugf("Redis node %s ended the subscription to channel %s, as a node does when the channel's slot "
                + "moves; subscribing at the new owner", shard.node(), ChannelKeys.channelOfLive(live));
        layout = null;
        placeUnplaced();
    }
}
