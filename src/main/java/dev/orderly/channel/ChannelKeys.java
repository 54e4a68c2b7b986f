package dev.orderly.channel;

/**
 * Redis keys of one channel {@code c}. All three share the hash tag {@code {c}}, so a channel lives in one
 * Redis Cluster slot and the append script can touch all of them.
 *
 * <pre>
 * orderly:{c}:meta   hash     epoch (random id of this history), top (last offset)
 * orderly:{c}:log    stream   one entry per event, id "&lt;offset&gt;-0", fields event, data (JSON), emittedAt (ms)
 * orderly:{c}:live   pub/sub  one message per event: "&lt;epoch&gt; &lt;offset&gt; &lt;emittedAt&gt; &lt;event&gt;\n&lt;data JSON&gt;"
 * orderly:{c}:idem:&lt;key&gt;  hash  result of an emit with that Idempotency-Key: epoch, offset, checksum
 * </pre>
 *
 * @param channel a name already checked by {@link ChannelName}
 */
public record ChannelKeys(String channel, String meta, String log, String live) {

    private static final String PREFIX = "orderly:{";
    private static final String LIVE_SUFFIX = "}:live";

    public static ChannelKeys of(String channel) {
        String tagged = PREFIX + channel;
        return new ChannelKeys(channel, tagged + "}:meta", tagged + "}:log", tagged + LIVE_SUFFIX);
    }

    /** Returns the key that records the result of an emit with {@code idempotencyKey} on this channel. */
    public String idempotency(String idempotencyKey) {
        return PREFIX + channel + "}:idem:" + idempotencyKey;
    }

    /**
     * Returns the channel name of a live pub/sub channel, or {@code null} when {@code live} is not one.
     */
    public static String channelOfLive(String live) {
        if (!live.startsWith(PREFIX) || !live.endsWith(LIVE_SUFFIX)) {
            return null;
        }
        return live.substring(PREFIX.length(), live.length() - LIVE_SUFFIX.length());
    }
}
