package dev.orderly.channel;

import java.util.Objects;
import java.util.function.Function;

/**
 * One event of a channel's history, as read from the stream or received from the live feed. The SSE frame
 * data is built once here and shared by every subscriber that receives the event.
 *
 * <p>Immutable apart from the cached encoded frame, which {@link #encodedFrame} fills on first use.
 */
public final class ChannelEvent {

    private final String channel;
    private final String epoch;
    private final long offset;
    private final String event;
    private final long emittedAt;
    private final String json;
    /** The frame built by the first {@link #encodedFrame} call; a race may build it twice, never differently. */
    private volatile byte[] encodedFrame;

    /**
     * @param epoch the history this offset belongs to
     * @param offset position in the channel, contiguous from 1 within an epoch
     * @param json the SSE frame data: {@code {"channel","epoch","offset","event","data","emittedAt"}}
     */
    public ChannelEvent(String channel, String epoch, long offset, String event, long emittedAt, String json) {
        this.channel = channel;
        this.epoch = epoch;
        this.offset = offset;
        this.event = event;
        this.emittedAt = emittedAt;
        this.json = json;
    }

    public String channel() {
        return channel;
    }

    public String epoch() {
        return epoch;
    }

    public long offset() {
        return offset;
    }

    public String event() {
        return event;
    }

    /** Emit time in epoch milliseconds of the emitting instance's clock. */
    public long emittedAt() {
        return emittedAt;
    }

    public String json() {
        return json;
    }

    /**
     * Returns the encoded SSE frame that every subscriber of this channel alone receives for this event, built by
     * {@code encoder} on the first call and cached, so fan-out to many subscribers encodes it once. Every caller
     * must pass an encoder that gives the same bytes for the same event.
     */
    public byte[] encodedFrame(Function<ChannelEvent, byte[]> encoder) {
        byte[] frame = encodedFrame;
        if (frame == null) {
            frame = encoder.apply(this);
            encodedFrame = frame;
        }
        return frame;
    }

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

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelEvent that && offset == that.offset && emittedAt == that.emittedAt
                && Objects.equals(channel, that.channel) && Objects.equals(epoch, that.epoch)
                && Objects.equals(event, that.event)
                && Objects.equals(json, that.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, epoch, offset, event, emittedAt, json);
    }

    @Override
    public String toString() {
        return "ChannelEvent[channel=" + channel + ", epoch=" + epoch + ", offset=" + offset + ", event=" + event
                + ", emittedAt=" + emittedAt + "]";
    }
}
