package dev.orderly.delivery;

import java.util.ArrayDeque;
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
 *
 * <p>Frames wait in a queue until the HTTP connection has written the previous one. The queue is bounded
 * ({@code orderly.delivery.max-queued-frames} and {@code max-queued-bytes}): a subscriber whose queue is full when
 * a live event arrives is closed with an {@code error} frame (reason {@code slow-subscriber}) carrying its cursor,
 * so it resumes from the stream and never slows the others. History is read a page at a time and only while the
 * queue is at most half full, so replaying a long history does not count as being slow.
 */
final class Subscription {

    private final long id;
    private final SubscriptionContext services;
    private final List<ChannelFeed> feeds;

    // Guarded by this.
    private MultiEmitter<? super OutboundSseEvent> emitter;
    private Cancellable starting;
    private boolean closed;
    /** Whether the start read succeeded; before that a fresh subscription has no position to resume from. */
    private boolean started;
    private final boolean resuming;
    private int queuedFrames;
    private long queuedChars;
    /** Emit times (epoch ms) of the event frames in the queue, oldest first, for the delivery latency. */
    private final ArrayDeque<Long> queuedEmitTimes = new ArrayDeque<>();
    private final List<Runnable> waitingForRoom = new ArrayList<>();

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
        this.resuming = resumeFrom != null;
    }

    long id() {
        return id;
    }

    /** Returns the frames of this connection; subscribing to it opens the subscription. */
    Multi<OutboundSseEvent> frames() {
        return Multi.createFrom().<OutboundSseEvent>emitter(this::open)
                .onItem().invoke(this::dequeued);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized void sendEvent(ChannelEvent event) {
        queuedEmitTimes.add(event.emittedAt());
        enqueue(services.frames().data(cursor(), event.json()));
    }

    /** Returns whether the queue is full, so a live event cannot be added. */
    synchronized boolean isQueueFull() {
        return queuedFrames >= services.config().delivery().maxQueuedFrames()
                || queuedChars >= services.config().delivery().maxQueuedBytes();
    }

    /** Runs {@code read} now if the queue is at most half full, otherwise once it has drained to that. */
    synchronized void whenRoomFor(Runnable read) {
        if (hasRoomForHistory()) {
            read.run();
        } else {
            waitingForRoom.add(read);
        }
    }

    /** Closes a subscriber whose queue is full, after the frames already queued. */
    void closeAsSlow() {
        services.slowSubscribers().increment();
        close("slow-subscriber", "The connection did not keep up with the channel; resume with the cursor");
    }

    synchronized void sendGap(Notices.Gap gap) {
        Log.infof("Subscriber %d sent a gap notice for channel %s: offsets %d to %d %s", id, gap.channel(),
                gap.fromOffset(), gap.toOffset(), gap.reason());
        services.gapNotices().increment();
        enqueue(services.frames().named("gap", gap));
    }

    synchronized void sendReset(Notices.Reset reset) {
        Log.infof("Subscriber %d sent a reset notice for channel %s: epoch %s to %s (%s)", id, reset.channel(),
                reset.previousEpoch(), reset.epoch(), reset.reason());
        services.resetNotices().increment();
        enqueue(services.frames().named("reset", reset));
    }

    void countGapFill() {
        services.gapFills().increment();
    }

    void logCatchUp(String channel, long delivered, long top) {
        services.catchUps().increment();
        Log.infof("Subscriber %d is behind on channel %s (delivered %d, top %d): reading the missing events from "
                + "the stream", id, channel, delivered, top);
    }

    synchronized void sendHeartbeat() {
        // A connection with frames queued is not idle, so it needs no heartbeat.
        if (!closed && queuedFrames == 0) {
            enqueue(services.frames().heartbeat());
        }
    }

    /** Ends the connection after an {@code error} frame that names the reason and the cursor to resume from. */
    void close(String reason, String message) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            waitingForRoom.clear();
            if ("server-shutdown".equals(reason)) {
                Log.debugf("Subscriber %d closed for shutdown at cursor %s", id, cursor());
            } else {
                Log.warnf("Subscriber %d closed by the server at cursor %s: %s", id, cursor(), reason);
            }
            // A subscription that never started reports the position it was asked to resume from, or none.
            String cursor = started || resuming ? cursor() : null;
            enqueue(services.frames().named("error", new Notices.Error(reason, message, cursor)));
            emitter.complete();
        }
        // Stop receiving live events now; the queued frames may take a while to drain.
        leaveChannels();
    }

    private void enqueue(OutboundSseEvent frame) {
        queuedFrames++;
        queuedChars += length(frame);
        emitter.emit(frame);
    }

    private synchronized void dequeued(OutboundSseEvent frame) {
        queuedFrames--;
        queuedChars -= length(frame);
        if (SseFrames.isEventFrame(frame)) {
            services.countDelivery(queuedEmitTimes.poll());
        }
        if (!waitingForRoom.isEmpty() && hasRoomForHistory()) {
            List<Runnable> reads = List.copyOf(waitingForRoom);
            waitingForRoom.clear();
            reads.forEach(Runnable::run);
        }
    }

    private boolean hasRoomForHistory() {
        return queuedFrames <= services.config().delivery().maxQueuedFrames() / 2
                && queuedChars <= services.config().delivery().maxQueuedBytes() / 2;
    }

    private static int length(OutboundSseEvent frame) {
        return frame.getData() instanceof String data ? data.length() : 0;
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
        started = true;
        List<Notices.ReadyChannel> channels = feeds.stream()
                .map(feed -> new Notices.ReadyChannel(feed.channel(), feed.epoch(), feed.delivered()))
                .toList();
        String cursor = cursor();
        enqueue(services.frames().ready(cursor, new Notices.Ready(channels, cursor)));
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
        leaveChannels();
        services.registry().remove(this);
        Log.debugf("Subscriber %d released", id);
    }

    private void leaveChannels() {
        for (ChannelFeed feed : feeds) {
            services.hub().leave(feed.channel(), feed);
        }
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
