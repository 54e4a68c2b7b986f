package dev.orderly.hub;

import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisConnection;

/**
 * Where the live feeds live: which Redis node serves a live channel, and how to open a pub/sub connection to
 * that node. {@link ChannelHub} keeps one connection per node, so the number of pub/sub connections is bounded
 * by the number of nodes, not channels.
 */
interface PubSubTopology {

    /**
     * Reads the current layout. The returned function maps a live channel to the node that serves it, or to
     * {@code null} when no node serves it at the moment.
     */
    Uni<Function<String, String>> resolve();

    /** Opens a new connection, not yet in pub/sub mode, to {@code node}. */
    Uni<RedisConnection> connect(String node);

    /** Releases what the topology holds; connections it opened are closed by their owners. */
    void close();
}
