package dev.orderly.delivery;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.sse.OutboundSseEvent;

import dev.orderly.channel.ChannelEvent;
import dev.orderly.channel.HistoryPage;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One SSE connection: joins the hub for each of its channels, sends {@code ready} once Redis has confirmed every
 * subscription, then streams each channel through its {@link ChannelFeed}.
 *
 * <p>Guarantees: every frame that carries an {@code id:} carries the positions of all channels as they are after
 * that frame, and a position is advanced only together with sending the frame, so resuming from any received id
 * neither skips nor repeats an event. When the connection ends for any reason, its hub listeners and registry
 * entry are released. When the server has to end it (the Redis link or a history read failed), it first sends
 * an {@code error} frame with the cursor to resume from.
 */
final class Subscription {

    private final long id;
    private final SubscriptionContext services;
    private final List<ChannelFeed> feeds;

    // Guarded by this.
    private MultiEmitter<? super OutboundSseEvent> emitter;
    private Cancellable starting;
    private boolean closed;

    Subscription(long id, SubscriptionContext services, List<String> channels, Cursor resumeFrom) {
        this.id = id;
        this.services = services;
        List<ChannelFeed> created = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            Cursor.Position position = resumeFrom == null ? null : resumeFrom.positions().get(i);
            created.add(new ChannelFeed(this, services.log(), channels.get(i), position,
                    services.config().delivery().historyPageSize()));
        }
        this.feeds = List.copyOf(created);
    }

    long id() {
        return id;
    }

    /** Returns the frames of this connection; subscribing to it opens the subscription. */
    Multi<OutboundSseEvent> frames() {
        return Multi.createFrom().<OutboundSseEvent>emitter(this::open);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized void sendEvent(ChannelEvent event) {
        emitter.emit(services.frames().data(cursor(), event.json()));
    }

    synchronized void sendGap(Notices.Gap gap) {
        Log.infof("Subscriber %d sent a gap notice for channel %s: offsets %d to %d %s", id, gap.channel(),
                gap.fromOffset(), gap.toOffset(), gap.reason());
        emitter.emit(services.frames().named("gap", gap));
    }

    synchronized void sendReset(Notices.Reset reset) {
        Log.infof("Subscriber %d sent a reset notice for channel %s: epoch %s to %s (%s)", id, reset.channel(),
                reset.previousEpoch(), reset.epoch(), reset.reason());
        emitter.emit(services.frames().named("reset", reset));
    }

    void logCatchUp(String channel, long delivered, long top) {
        Log.infof("Subscriber %d is behind on channel %s (delivered %d, top %d): reading the missing events from "
                + "the stream", id, channel, delivered, top);
    }

    synchronized void sendHeartbeat() {
        if (!closed) {
            emitter.emit(services.frames().heartbeat());
        }
    }

    /** Ends the connection after an {@code error} frame that names the reason and the cursor to resume from. */
    void close(String reason, String message) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            Log.warnf("Subscriber %d closed by the server at cursor %s: %s", id, cursor(), reason);
            emitter.emit(services.frames().named("error", new Notices.Error(reason, message, cursor())));
            emitter.complete();
        }
    }

    private void open(MultiEmitter<? super OutboundSseEvent> emitter) {
        synchronized (this) {
            this.emitter = emitter;
        }
        emitter.onTermination(this::release);
        services.registry().add(this);
        Uni<List<HistoryPage>> start = Uni.join().all(feeds.stream().map(this::join).toList()).andFailFast()
                .chain(() -> Uni.join().all(feeds.stream().map(ChannelFeed::readStart).toList()).andFailFast());
        Cancellable subscription = start.subscribe().with(this::begin, this::startFailed);
        synchronized (this) {
            starting = closed ? null : subscription;
        }
        if (isClosed()) {
            subscription.cancel();
        }
    }

    private Uni<Void> join(ChannelFeed feed) {
        return services.hub().join(feed.channel(), feed);
    }

    private synchronized void begin(List<HistoryPage> pages) {
        starting = null;
        if (closed) {
            return;
        }
        for (int i = 0; i < feeds.size(); i++) {
            feeds.get(i).start(pages.get(i));
        }
        List<Notices.ReadyChannel> channels = feeds.stream()
                .map(feed -> new Notices.ReadyChannel(feed.channel(), feed.epoch(), feed.delivered()))
                .toList();
        String cursor = cursor();
        emitter.emit(services.frames().ready(cursor, new Notices.Ready(channels, cursor)));
        for (ChannelFeed feed : feeds) {
            feed.begin();
        }
    }

    private void startFailed(Throwable failure) {
        Log.warnf("Subscriber %d could not start: %s", id, failure.getMessage());
        close("redis-unavailable", "Subscribing in Redis failed; retry later");
    }

    private void release() {
        Cancellable pendingStart;
        synchronized (this) {
            closed = true;
            pendingStart = starting;
            starting = null;
        }
        if (pendingStart != null) {
            pendingStart.cancel();
        }
        for (ChannelFeed feed : feeds) {
            services.hub().leave(feed.channel(), feed);
        }
        services.registry().remove(this);
        Log.debugf("Subscriber %d released", id);
    }

    private String cursor() {
        StringBuilder text = new StringBuilder(24 * feeds.size());
        for (ChannelFeed feed : feeds) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            Cursor.append(text, feed.epoch(), feed.delivered());
        }
        return text.toString();
    }
}
