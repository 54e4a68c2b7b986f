package dev.orderly.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental parser for a {@code text/event-stream} body, following the WHATWG HTML "event stream
 * interpretation" rules: lines end with CRLF, LF or CR (also when the CR and LF arrive in different chunks),
 * a line starting with {@code :} is a comment, one space after the field's colon is dropped, and a blank line
 * dispatches the frame. Lines are decoded as UTF-8 only once complete, so a character split across reads arrives
 * intact. Not thread-safe: feed it from one thread, as a Vert.x response handler does.
 */
final class SseParser {

    /** One dispatched frame. {@code event} is {@code null} for an unnamed frame, {@code id} for a frame without id. */
    record Frame(String id, String event, String data, int comments) {
    }

    private final Consumer<Frame> frames;
    /** Bytes of the current line, which may span several chunks. */
    private byte[] line = new byte[1024];
    private int lineLength;
    private boolean lastWasCr;

    private String id;
    private String event;
    private StringBuilder data;
    private int comments;
    private long commentCount;

    SseParser(Consumer<Frame> frames) {
        this.frames = frames;
    }

    /** Total comment lines seen, such as {@code : ping} heartbeats. */
    long commentCount() {
        return commentCount;
    }

    void feed(byte[] bytes) {
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '\n' && lastWasCr) {
                // The LF of a CRLF whose CR already ended the line.
                lastWasCr = false;
                lineStart = i + 1;
                continue;
            }
            lastWasCr = false;
            if (b == '\n' || b == '\r') {
                append(bytes, lineStart, i - lineStart);
                endLine();
                lastWasCr = b == '\r';
                lineStart = i + 1;
            }
        }
        append(bytes, lineStart, bytes.length - lineStart);
    }

    private void append(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(bytes, offset, line, lineLength, length);
        lineLength += length;
    }

    private void endLine() {
        if (lineLength == 0) {
            dispatch();
            return;
        }
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (text.charAt(0) == ':') {
            comments++;
            commentCount++;
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = "";
        if (colon >= 0) {
            int start = colon + 1;
            if (start < text.length() && text.charAt(start) == ' ') {
                start++;
            }
            value = text.substring(start);
        }
        switch (field) {
            case "id" -> {
                // The spec ignores an id containing NUL.
                if (value.indexOf('\0') < 0) {
                    id = value;
                }
            }
            case "event" -> event = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                data.append(value);
            }
            default -> {
                // "retry" and unknown fields do not affect delivery checks.
            }
        }
    }

    private void dispatch() {
        if (id == null && event == null && data == null && comments == 0) {
            return;
        }
        Frame frame = new Frame(id, event, data == null ? null : data.toString(), comments);
        id = null;
        event = null;
        data = null;
        comments = 0;
        frames.accept(frame);
    }
}
