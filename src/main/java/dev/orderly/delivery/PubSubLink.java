package dev.orderly.delivery;

import java.time.Duration;
import java.util.function.Supplier;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The Redis connection behind {@link ChannelHub}: opens it on demand and, when it drops while in use, opens a
 * new one with exponential backoff (100 ms doubling to 5 s, at most {@value #MAX_ATTEMPTS} attempts, about 31 s in
 * all). The backoff keeps a restarting Redis from being flooded with connection attempts, and the bound makes
 * subscribers give up and resume elsewhere instead of waiting forever.
 *
 * <p>Runs on the hub's context only. Handlers are set before any command is sent, because replies to
 * {@code SUBSCRIBE} may arrive at any time after it.
 */
final class PubSubLink {

    /** Callbacks through which the link reports to its owner, always on the hub's context. */
    interface Events {

        void onReply(Response reply);

        /** The link is open; {@code restored} is true when it replaces one that dropped. */
        void onOpen(boolean restored);

        /** The link dropped; returns whether a new one should be opened, which is then reported as restored. */
        boolean onDropped(Throwable cause);

        /** Opening failed and no further attempt will be made until {@link #open} is called again. */
        void onUnavailable(Throwable cause);
    }

    static final int MAX_ATTEMPTS = 12;
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final Supplier<Uni<RedisConnection>> connector;
    private final Context context;
    private final Events events;

    private RedisConnection connection;
    private boolean opening;
    private boolean restoring;
    private boolean closed;

    PubSubLink(Supplier<Uni<RedisConnection>> connector, Context context, Events events) {
        this.connector = connector;
        this.context = context;
        this.events = events;
    }

    boolean isOpen() {
        return connection != null;
    }

    /** Opens the link unless it is open or opening; the outcome is reported through {@link Events}. */
    void open() {
        if (connection != null || opening || closed) {
            return;
        }
        opening = true;
        attempt(1);
    }

    void send(Request request) {
        RedisConnection link = connection;
        link.send(request).subscribe().with(
                ignored -> {
                },
                failure -> context.runOnContext(ignored -> dropped(link, failure)));
    }

    /** Closes the link for good, without reporting its end as a failure. */
    void close() {
        closed = true;
        if (connection != null) {
            connection.closeAndForget();
            connection = null;
        }
    }

    private void attempt(int number) {
        // The client may hand out a pooled connection that went stale when Redis died, so a PING must succeed
        // before the connection counts as open.
        Uni.createFrom().<RedisConnection>deferred(connector::get)
                .call(connection -> connection.send(Request.cmd(Command.PING))
                        .onFailure().call(connection::close))
                .subscribe().with(
                opened -> context.runOnContext(ignored -> opened(opened, number)),
                failure -> context.runOnContext(ignored -> failed(failure, number)));
    }

    private void opened(RedisConnection opened, int attempts) {
        if (closed) {
            opened.closeAndForget();
            return;
        }
        opened.handler(reply -> context.runOnContext(ignored -> {
            if (opened == connection && reply != null) {
                events.onReply(reply);
            }
        }));
        opened.exceptionHandler(failure -> context.runOnContext(ignored -> dropped(opened, failure)));
        opened.endHandler(() -> context.runOnContext(ignored -> dropped(opened, null)));
        connection = opened;
        opening = false;
        boolean restored = restoring;
        restoring = false;
        if (restored) {
            Log.infof("Redis pub/sub link restored after %d attempts", attempts);
        }
        events.onOpen(restored);
    }

    private void failed(Throwable failure, int number) {
        if (closed) {
            return;
        }
        if (!restoring || number >= MAX_ATTEMPTS) {
            Log.warnf("Redis pub/sub link could not be opened after %d attempts: %s", number, failure.getMessage());
            opening = false;
            restoring = false;
            events.onUnavailable(failure);
            return;
        }
        long delay = Math.min(MAX_DELAY.toMillis(), FIRST_DELAY.toMillis() << Math.min(number - 1, 16));
        Log.debugf("Redis pub/sub link attempt %d failed, next in %d ms: %s", number, delay, failure.getMessage());
        context.owner().setTimer(delay, ignored -> attempt(number + 1));
    }

    private void dropped(RedisConnection lost, Throwable cause) {
        if (lost != connection || closed) {
            return;
        }
        connection = null;
        lost.closeAndForget();
        Throwable reason = cause != null ? cause : new IllegalStateException("Redis closed the pub/sub connection");
        if (events.onDropped(reason)) {
            opening = true;
            restoring = true;
            attempt(1);
        }
    }
}
