package dev.orderly.hub;

import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisConnection;

/**
 * Placement of the live feeds: the Redis node that serves each live channel, and the way to open a pub/sub
 * connection to that node. {@link ChannelHub} keeps one connection per node, so the number of pub/sub connections is bounded
 * by the number of nodes, not channels.
 */
interface PubSubTopology {

    /** Mapping from each live channel to the node that serves it, as read at one moment. */
    interface Layout {

        /** Returns the node that serves {@code live}, or {@code null} when none serves it at the moment. */
        String nodeOf(String live);

        /** Returns every node that serves some channel. */
        Set<String> nodes();
    }

    /** Reads the current layout. */
    Uni<Layout> resolve();

    /** Opens a new connection, not yet in pub/sub mode, to {@code node}. */
    Uni<RedisConnection> connect(String node);

    /** Releases what the topology holds; connections it opened are closed by their owners. */
    void close();
}
