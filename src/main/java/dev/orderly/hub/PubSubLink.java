package dev.orderly.hub;

import java.time.Duration;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * One pub/sub connection to one Redis node. It opens on request, checks the connection with {@code PING} first
 * (a pooled connection can be stale after Redis died) and reports every outcome through {@link Events}; retries
 * are the owner's decision.
 *
 * <p>Runs on the hub's context only. Handlers are set before any command is sent, because replies to
 * {@code SUBSCRIBE} may arrive at any time after it.
 */
final class PubSubLink {

    /** Callbacks through which the link reports to its owner, always on the hub's context. */
    interface Events {

        void onReply(Response reply);

        void onOpen();

        /** The open connection ended; it is not reopened. */
        void onDropped(Throwable cause);

        /** Opening failed. */
        void onUnavailable(Throwable cause);
    }

    private final Supplier<Uni<RedisConnection>> connector;
    private final Context context;
    private final Events events;

    private RedisConnection connection;
    private boolean opening;
    private boolean closed;
    private boolean pingInFlight;
    /** When the link last received anything: a message, a reply or the reply to {@code PING}. */
    private long lastReceivedNanos;

    PubSubLink(Supplier<Uni<RedisConnection>> connector, Context context, Events events) {
        this.connector = connector;
        this.context = context;
        this.events = events;
    }

    boolean isOpen() {
        return connection != null;
    }

    /** Opens the link unless it is open, opening or closed; the outcome is reported through {@link Events}. */
    void open() {
        if (connection != null || opening || closed) {
            return;
        }
        opening = true;
        Uni.createFrom().<RedisConnection>deferred(connector::get)
                .call(opened -> opened.send(Request.cmd(Command.PING))
                        .onFailure().call(opened::close))
                .subscribe().with(
                opened -> context.runOnContext(ignored -> opened(opened)),
                failure -> context.runOnContext(ignored -> failed(failure)));
    }

    void send(Request request) {
        RedisConnection link = connection;
        link.send(request).subscribe().with(
                ignored -> {
                },
                failure -> context.runOnContext(ignored -> dropped(link, failure)));
    }

    /**
     * Checks that the node still sends: sends {@code PING} unless one is in flight, and reports the link as dropped
     * when a {@code PING} is in flight and nothing at all arrived for {@code silence}. A node that stopped
     * responding (frozen, or behind a partition that sends no reset) thus does not keep its channels on a dead
     * connection, while a busy link whose reply waits behind many messages is not mistaken for one. The connection
     * uses RESP3, where pushed messages are marked as pushes and cannot be taken for the reply to {@code PING}.
     */
    void ping(Duration silence) {
        RedisConnection link = connection;
        if (link == null) {
            return;
        }
        if (pingInFlight) {
            long silentNanos = System.nanoTime() - lastReceivedNanos;
            if (silentNanos > silence.toNanos()) {
                dropped(link, new IllegalStateException("Redis sent nothing for " + silentNanos / 1_000_000
                        + " ms, not even the reply to PING"));
            }
            return;
        }
        pingInFlight = true;
        link.send(Request.cmd(Command.PING)).subscribe().with(
                pong -> context.runOnContext(ignored -> {
                    if (link == connection) {
                        pingInFlight = false;
                        lastReceivedNanos = System.nanoTime();
                    }
                }),
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

    private void opened(RedisConnection opened) {
        opening = false;
        if (closed) {
            opened.closeAndForget();
            return;
        }
        opened.handler(reply -> context.runOnContext(ignored -> {
            if (opened != connection || reply == null) {
                return;
            }
            lastReceivedNanos = System.nanoTime();
            if (reply.type() == ResponseType.SIMPLE) {
                // The reply to PING can reach this handler instead of the command's own Uni once the connection
                // is subscribed (seen with the Vert.x Redis client 4.5.27 on RESP3).
                pingInFlight = false;
                return;
            }
            events.onReply(reply);
        }));
        opened.exceptionHandler(failure -> context.runOnContext(ignored -> dropped(opened, failure)));
        opened.endHandler(() -> context.runOnContext(ignored -> dropped(opened, null)));
        connection = opened;
        pingInFlight = false;
        lastReceivedNanos = System.nanoTime();
        events.onOpen();
    }

    private void failed(Throwable failure) {
        opening = false;
        if (!closed) {
            events.onUnavailable(failure);
        }
    }

    private void dropped(RedisConnection lost, Throwable cause) {
        if (lost != connection || closed) {
            return;
        }
        connection = null;
        lost.closeAndForget();
        events.onDropped(cause != null ? cause : new IllegalStateException("Redis closed the pub/sub connection"));
    }
}
