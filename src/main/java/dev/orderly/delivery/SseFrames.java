package dev.orderly.delivery;

import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.channel.ChannelEvent;
import dev.orderly.config.OrderlyConfig;

/**
 * Encodes SSE frames as UTF-8 bytes, ready to write. Data is always one line of JSON, so payloads with line breaks
 * or any Unicode arrive intact through standard SSE parsing.
 *
 * <p>The layout is the one Quarkus REST 3.33 wrote before this service wrote its own frames: fields in the order
 * comment, {@code id}, {@code event}, {@code retry}, {@code data}, each as {@code name:value} with no space after
 * the colon, and a blank line after the frame. Data that contains line breaks (JSON this service writes has none)
 * is split into one {@code data:} line per line, which SSE clients join again with {@code \n}.
 */
@Singleton
class SseFrames {

    private static final byte[] HEARTBEAT = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper mapper;
    private final long retryMillis;

    @Inject
    SseFrames(ObjectMapper mapper, OrderlyConfig config) {
        this.mapper = mapper;
        this.retryMillis = config.delivery().clientRetry().toMillis();
    }

    /**
     * Encodes the data frame of {@code event} for a subscription to its channel alone, whose cursor is the
     * event's own position. The same for every such subscriber, so it is built once per event and shared
     * (see {@link ChannelEvent#encodedFrame}).
     */
    static byte[] singleChannelData(ChannelEvent event) {
        StringBuilder cursor = new StringBuilder(24);
        Cursor.append(cursor, event.epoch(), event.offset());
        return data(cursor.toString(), event.json());
    }

    /** Encodes an unnamed data frame, which browsers deliver to {@code EventSource.onmessage}. */
    static byte[] data(String cursor, String json) {
        StringBuilder frame = new StringBuilder(cursor.length() + json.length() + 16);
        frame.append("id:").append(cursor).append('\n');
        appendData(frame, json);
        return encode(frame);
    }

    /** Encodes the {@code ready} frame, which also sets the browser's reconnect delay. */
    byte[] ready(String cursor, Notices.Ready ready) {
        String json = json(ready);
        StringBuilder frame = new StringBuilder(cursor.length() + json.length() + 48);
        frame.append("id:").append(cursor).append('\n')
                .append("event:ready\n")
                .append("retry:").append(retryMillis).append('\n');
        appendData(frame, json);
        return encode(frame);
    }

    /** Encodes a named control frame without an id, so it never moves the browser's resume position. */
    byte[] named(String name, Object notice) {
        String json = json(notice);
        StringBuilder frame = new StringBuilder(name.length() + json.length() + 16);
        frame.append("event:").append(name).append('\n');
        appendData(frame, json);
        return encode(frame);
    }

    /** Returns the comment frame that keeps idle connections and proxies open. Browsers ignore it. */
    static byte[] heartbeat() {
        return HEARTBEAT;
    }

    /** Appends {@code data:} lines and the blank line that ends the frame; CR, LF and CRLF each end a line. */
    private static void appendData(StringBuilder frame, String data) {
        frame.append("data:");
        if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
            frame.append(data);
        } else {
            for (int i = 0; i < data.length(); i++) {
                char c = data.charAt(i);
                if (c == '\r' || c == '\n') {
                    frame.append("\ndata:");
                    if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                        i++;
                    }
                } else {
                    frame.append(c);
                }
            }
        }
        frame.append("\n\n");
    }

    private static byte[] encode(StringBuilder frame) {
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String json(Object notice) {
        try {
            return mapper.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notice " + notice.getClass().getSimpleName()
                    + " could not be serialized", e);
        }
    }
}
