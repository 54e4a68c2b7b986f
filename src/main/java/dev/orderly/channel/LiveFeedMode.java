package dev.orderly.channel;

import io.vertx.redis.client.RedisClientType;

/**
 * The pub/sub commands that carry a channel's live feed. A single Redis (standalone, Sentinel or replication)
 * uses classic pub/sub. Redis Cluster uses sharded pub/sub (Redis 7.0 and later), because a classic
 * {@code PUBLISH} is broadcast to every node of the cluster, while {@code SPUBLISH} stays on the node that owns
 * the channel's slot, the same node that runs the append script.
 */
public enum LiveFeedMode {

    CLASSIC("PUBLISH", "message", "subscribe", "unsubscribe"),
    SHARDED("SPUBLISH", "smessage", "ssubscribe", "sunsubscribe");

    private final String publish;
    private final String messageKind;
    private final String subscribeKind;
    private final String unsubscribeKind;

    LiveFeedMode(String publish, String messageKind, String subscribeKind, String unsubscribeKind) {
        this.publish = publish;
        this.messageKind = messageKind;
        this.subscribeKind = subscribeKind;
        this.unsubscribeKind = unsubscribeKind;
    }

    /** Returns the mode for the configured {@code quarkus.redis.client-type}. */
    public static LiveFeedMode of(RedisClientType clientType) {
        return clientType == RedisClientType.CLUSTER ? SHARDED : CLASSIC;
    }

    /** Command the append script publishes with. */
    public String publish() {
        return publish;
    }

    /** First element of a pushed live message. */
    public String messageKind() {
        return messageKind;
    }

    /** First element of the reply that confirms a subscription. */
    public String subscribeKind() {
        return subscribeKind;
    }

    /** First element of the reply that ends a subscription, sent on request or, in a cluster, by the server. */
    public String unsubscribeKind() {
        return unsubscribeKind;
    }
}
