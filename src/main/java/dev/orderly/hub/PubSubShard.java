package dev.orderly.hub;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.orderly.channel.LiveFeedMode;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * The live channels that {@link ChannelHub} subscribes to on one Redis node, with the pub/sub link to that node.
 * It pairs each reply with the command it answers, which the protocol allows because a connection answers its
 * commands in order: a subscribe or unsubscribe command gets either its reply or an error (for example
 * {@code MOVED} when the node no longer owns the channel's slot), and an unsubscribe reply that answers no command
 * of ours means the server ended the subscription, as a cluster node does when the channel's slot migrates away.
 *
 * <p>Runs on the hub's context only.
 */
final class PubSubShard implements PubSubLink.Events {

    /** Callbacks from a shard to the hub, on the hub's context. */
    interface Events {

        void onOpen(PubSubShard shard);

        void onDropped(PubSubShard shard, Throwable cause);

        void onUnavailable(PubSubShard shard, Throwable cause);

        void onMessage(String live, String message);

        /** Redis confirmed the subscription and no later subscribe command for {@code live} is in flight. */
        void onSubscribed(PubSubShard shard, String live);

        void onRejected(PubSubShard shard, String live, String error);

        void onEndedByServer(PubSubShard shard, String live);
    }

    private final String node;
    private final LiveFeedMode mode;
    private final Command subscribe;
    private final Command unsubscribe;
    private final PubSubLink link;
    private final Events events;

    /** Live channels placed on this node, subscribed or waiting to be. */
    private final Set<String> channels = new LinkedHashSet<>();
    /** Commands sent without a reply yet, in the order they were sent, so an error reply pairs with the oldest. */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();

    PubSubShard(String node, LiveFeedMode mode, PubSubTopology topology, Context context, Events events) {
        this.node = node;
        this.mode = mode;
        // The client's own command constants mark these as pub/sub commands, whose replies arrive as pushes.
        this.subscribe = mode == LiveFeedMode.SHARDED ? Command.SSUBSCRIBE : Command.SUBSCRIBE;
        this.unsubscribe = mode == LiveFeedMode.SHARDED ? Command.SUNSUBSCRIBE : Command.UNSUBSCRIBE;
        this.events = events;
        this.link = new PubSubLink(() -> topology.connect(node), context, this);
    }

    String node() {
        return node;
    }

    Set<String> channels() {
        return channels;
    }

    boolean isOpen() {
        return link.isOpen();
    }

    void open() {
        link.open();
    }

    void close() {
        link.close();
    }

    void ping(Duration timeout) {
        link.ping(timeout);
    }

    /** Places {@code live} here and subscribes to it once the link is open. */
    void add(String live) {
        channels.add(live);
        if (link.isOpen()) {
            subscribe(live);
        } else {
            link.open();
        }
    }

    /** Removes {@code live} and unsubscribes from it. */
    void remove(String live) {
        channels.remove(live);
        if (link.isOpen()) {
            inFlight.add(new InFlight(false, live));
            link.send(Request.cmd(unsubscribe).arg(live));
        }
    }

    /** Forgets {@code live} without unsubscribing, because the node no longer serves it. */
    void forget(String live) {
        channels.remove(live);
    }

    @Override
    public void onOpen() {
        events.onOpen(this);
        channels.forEach(this::subscribe);
    }

    @Override
    public void onDropped(Throwable cause) {
        inFlight.clear();
        events.onDropped(this, cause);
    }

    @Override
    public void onUnavailable(Throwable cause) {
        events.onUnavailable(this, cause);
    }

    @Override
    public void onReply(Response reply) {
        if (reply.type() == ResponseType.ERROR) {
            InFlight command = inFlight.poll();
            if (command == null) {
                Log.warnf("Redis node %s sent an error reply that matches no pending command: %s", node, reply);
            } else if (command.subscribe()) {
                events.onRejected(this, command.live(), reply.toString());
            } else {
                // An unsubscribe rejected with MOVED: the node has no subscription for the channel anyway.
                Log.debugf("Redis node %s rejected the unsubscribe from %s: %s", node, command.live(), reply);
            }
            return;
        }
        if (reply.type() != ResponseType.PUSH && reply.type() != ResponseType.MULTI || reply.size() < 3) {
            Log.debugf("Redis node %s sent a reply that is no pub/sub message, ignored: %s", node, reply);
            return;
        }
        String kind = reply.get(0).toString();
        String live = reply.get(1).toString();
        if (kind.equals(mode.messageKind())) {
            events.onMessage(live, reply.get(2).toString());
        } else if (kind.equals(mode.subscribeKind())) {
            InFlight command = new InFlight(true, live);
            inFlight.removeFirstOccurrence(command);
            // While a later subscribe command for this channel is in flight, its reply confirms the channel.
            if (!inFlight.contains(command)) {
                events.onSubscribed(this, live);
            }
        } else if (kind.equals(mode.unsubscribeKind())) {
            if (!inFlight.removeFirstOccurrence(new InFlight(false, live))) {
                events.onEndedByServer(this, live);
            }
        }
    }

    private void subscribe(String live) {
        inFlight.add(new InFlight(true, live));
        link.send(Request.cmd(subscribe).arg(live));
    }

    /** A subscribe or unsubscribe command waiting for its reply. */
    private record InFlight(boolean subscribe, String live) {
    }
}
