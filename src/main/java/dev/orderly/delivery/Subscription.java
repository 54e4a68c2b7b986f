package dev.orderly.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.orderly.channel.ChannelEvent;
import dev.orderly.channel.HistoryPage;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;

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
 * <p>Frames wait in the {@link SseConnection}'s queue until the HTTP connection can take them. The queue is bounded
 * ({@code orderly.delivery.max-queued-frames} and {@code max-queued-bytes}): a subscriber whose queue is full when
 * a live event arrives is closed with an {@code error} frame (reason {@code slow-subscriber}) carrying its cursor,
 * so it resumes from the stream and never slows the others. History is read a page at a time and only while the
 * queue is at most half full, so replaying a long history does not count as being slow.
 *
 * <p>A subscription opened with an access token ends when the token does: an {@code error} frame (reason
 * {@code token-expired}) carries the cursor, so the client resumes with a new token and loses nothing.
 */
final class Subscription {

    private static final SseConnection.Frame HEARTBEAT = new SseConnection.Frame(SseFrames.heartbeat(), 0, -1);

    /** Maximum delay of the expiry timer, about 100 years, so the delay in milliseconds fits in a long. */
    private static final Duration MAX_EXPIRY_TIMER = Duration.ofDays(36_500);

    private final long id;
    private final SubscriptionContext services;
    private final SseFrames frames;
    private final List<ChannelFeed> feeds;
    private final SseConnection connection;
    private final Context context;
    private final Instant tokenExpiresAt;

    // Guarded by this.
    private Cancellable starting;
    private boolean closed;
    private boolean released;
    /** Whether the start read succeeded; before that a fresh subscription has no position to resume from. */
    private boolean started;
    private final boolean resuming;
    private final List<Runnable> waitingForRoom = new ArrayList<>();
    /** Vert.x timer that closes the subscription when its token expires, or -1. */
    private long expiryTimer = -1;

    /**
     * Creates the subscription of the SSE response {@code response}, whose event loop context is {@code context}.
     * Nothing is sent before {@link #open}.
     *
     * @param tokenExpiresAt when the access token stops being accepted, or null when it does not expire
     */
    Subscription(long id, SubscriptionContext services, List<String> channels, Cursor resumeFrom,
            Instant tokenExpiresAt, HttpServerResponse response, Context context) {
        this.id = id;
        this.services = services;
        this.frames = services.frames();
        List<ChannelFeed> created = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            Cursor.Position position = resumeFrom == null ? null : resumeFrom.positions().get(i);
            created.add(new ChannelFeed(this, services.log(), channels.get(i), position,
                    services.config().delivery().historyPageSize()));
        }
        this.feeds = List.copyOf(created);
        this.resuming = resumeFrom != null;
        this.context = context;
        this.tokenExpiresAt = tokenExpiresAt;
        this.connection = new SseConnection(id, response, context, services, this::roomFreed, this::release);
    }

    long id() {
        return id;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Sends the data frame of {@code event}, which its feed has just delivered. */
    synchronized void sendEvent(ChannelEvent event) {
        if (feeds.size() == 1 && isCurrentPosition(feeds.get(0), event)) {
            // The cursor is the event's own position, so the frame is the one every such subscriber gets.
            connection.send(event);
        } else {
            byte[] frame = SseFrames.data(cursor(), event.json());
            connection.send(new SseConnection.Frame(frame, event.json().length(), event.emittedAt()));
        }
    }

    private static boolean isCurrentPosition(ChannelFeed feed, ChannelEvent event) {
        return event.epoch() != null && event.epoch().equals(feed.epoch()) && event.offset() == feed.delivered();
    }

    /** Returns whether the queue is full, so a live event cannot be added. */
    boolean isQueueFull() {
        return connection.isFull();
    }

    /** Runs {@code read} now if the queue is at most half full, otherwise once it has drained to that. */
    synchronized void whenRoomFor(Runnable read) {
        if (connection.isAtMostHalfFull()) {
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
        sendControl(frames.named("gap", gap));
    }

    synchronized void sendReset(Notices.Reset reset) {
        Log.infof("Subscriber %d sent a reset notice for channel %s: epoch %s to %s (%s)", id, reset.channel(),
                reset.previousEpoch(), reset.epoch(), reset.reason());
        services.resetNotices().increment();
        sendControl(frames.named("reset", reset));
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
        if (!closed && connection.queuedFrames() == 0) {
            connection.send(HEARTBEAT);
        }
    }

    /**
     * Ends the connection after an {@code error} frame that names the reason and the cursor to resume from.
     *
     * @return whether this call closed the subscription, rather than finding it closed already
     */
    boolean close(String reason, String message) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            waitingForRoom.clear();
            cancelExpiryTimer();
            if ("server-shutdown".equals(reason)) {
                Log.debugf("Subscriber %d closed for shutdown at cursor %s", id, cursor());
            } else if ("token-expired".equals(reason)) {
                Log.infof("Subscriber %d closed at cursor %s because its access token expired", id, cursor());
            } else {
                Log.warnf("Subscriber %d closed by the server at cursor %s: %s", id, cursor(), reason);
            }
            // A subscription that never started reports the position it was asked to resume from, or none.
            String cursor = started || resuming ? cursor() : null;
            byte[] frame = frames.named("error", new Notices.Error(reason, message, cursor));
            connection.end(new SseConnection.Frame(frame, frame.length, -1));
        }
        // Stop receiving live events now; the queued frames may take a while to drain.
        leaveChannels();
        return true;
    }

    private void sendControl(byte[] frame) {
        connection.send(new SseConnection.Frame(frame, frame.length, -1));
    }

    /** Starts the history reads that waited for room, once the connection has written enough of its queue. */
    private synchronized void roomFreed() {
        if (!waitingForRoom.isEmpty() && connection.isAtMostHalfFull()) {
            List<Runnable> reads = List.copyOf(waitingForRoom);
            waitingForRoom.clear();
            reads.forEach(Runnable::run);
        }
    }

    /** Sends the response head and joins the channels. Call on the connection's event loop. */
    void open() {
        services.registry().add(this);
        // Armed first, because opening the connection releases the subscription at once if the client has gone.
        armExpiryTimer();
        connection.open();
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

    private synchronized void armExpiryTimer() {
        if (tokenExpiresAt == null || released) {
            return;
        }
        Duration delay = Duration.between(Instant.now(), tokenExpiresAt);
        if (delay.compareTo(MAX_EXPIRY_TIMER) > 0) {
            // A token valid for about a century more keeps its subscription open.
            return;
        }
        expiryTimer = context.owner().setTimer(Math.max(1, delay.toMillis()), timer -> closeForExpiredToken());
    }

    private synchronized void cancelExpiryTimer() {
        if (expiryTimer >= 0) {
            context.owner().cancelTimer(expiryTimer);
            expiryTimer = -1;
        }
    }

    private void closeForExpiredToken() {
        if (close("token-expired", "The access token expired; reconnect with a new token and the cursor")) {
            services.expiredTokenCloses().increment();
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
        sendControl(frames.ready(cursor, new Notices.Ready(channels, cursor)));
        for (ChannelFeed feed : feeds) {
            feed.begin();
        }
    }

    private void startFailed(Throwable failure) {
        Log.warnf("Subscriber %d could not start: %s", id, failure.getMessage());
        close("redis-unavailable", "Subscribing in Redis failed; retry later");
    }

    /** Releases everything the subscription holds; runs once the response ended or the client went away. */
    private void release() {
        Cancellable pendingStart;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            closed = true;
            waitingForRoom.clear();
            pendingStart = starting;
            starting = null;
            cancelExpiryTimer();
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
