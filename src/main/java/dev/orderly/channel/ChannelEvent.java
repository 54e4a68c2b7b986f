package dev.orderly.channel;

/**
 * One event of a channel's history, as read from the stream or received from the live feed. The SSE frame
 * data is built once here and shared by every subscriber that receives the event.
 *
 * @param epoch the history this offset belongs to
 * @param offset position in the channel, contiguous from 1 within an epoch
 * @param json the SSE frame data: {@code {"channel","epoch","offset","event","data","emittedAt"}}
 */
public record ChannelEvent(String channel, String epoch, long offset, String event, long emittedAt, String json) {

    /**
     * Builds an event from its parts, with {@code dataJson} already serialized. Channel names, epochs and event
     * names contain no characters that need JSON escaping, which {@link ChannelName} and {@link EventTypes}
     * enforce.
     */
    public static ChannelEvent of(String channel, String epoch, long offset, String event, long emittedAt,
            String dataJson) {
        String json = "{\"channel\":\"" + channel
                + "\",\"epoch\":\"" + epoch
                + "\",\"offset\":" + offset
                + ",\"event\":\"" + event
                + "\",\"data\":" + dataJson
                + ",\"emittedAt\":" + emittedAt + "}";
        return new ChannelEvent(channel, epoch, offset, event, emittedAt, json);
    }

    /**
     * Parses a live pub/sub message written by the append script.
     *
     * @throws IllegalArgumentException when the message is not in the append script's format
     */
    public static ChannelEvent parseLive(String channel, String message) {
        int newline = message.indexOf('\n');
        if (newline < 0) {
            throw new IllegalArgumentException("live message has no header line");
        }
        String[] header = message.substring(0, newline).split(" ");
        if (header.length != 4) {
            throw new IllegalArgumentException("live message header has " + header.length + " fields, expected 4");
        }
        return of(channel, header[0], Long.parseLong(header[1]), header[3], Long.parseLong(header[2]),
                message.substring(newline + 1));
    }
}
