package dev.orderly.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Incremental parser of a {@code text/event-stream} body, following the event stream interpretation rules of the
 * HTML Living Standard's Server-sent events section. It accepts the body in chunks of any size, so a line, a CRLF
 * pair or a UTF-8 character may be split between two chunks. Lines end with CRLF, LF or CR. A line starting with
 * {@code :} is a comment, one space after a field's colon is removed, {@code data} lines are joined with LF, and a
 * blank line dispatches the frame. A frame without data is not dispatched, and an unfinished frame at the end of the
 * body is dropped, as a browser's {@code EventSource} does.
 *
 * <p>Not thread-safe: one parser belongs to one response and is fed from its handler only.
 */
final class SseParser {

    /**
     * One dispatched frame.
     *
     * @param id the last {@code id:} value seen on the stream so far, {@code null} before the first
     * @param event the {@code event:} name, {@code null} for an unnamed frame
     * @param data the {@code data:} lines joined with LF
     */
    record Frame(String id, String event, String data) {
    }

    /** Thrown when a line or a frame's data exceeds the parser's limit. */
    static final class FrameTooLargeException extends RuntimeException {

        FrameTooLargeException(String message) {
            super(message);
        }
    }

    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private final int maxFrameBytes;
    private final Consumer<Frame> frames;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String event;
    private String lastEventId;
    private boolean afterCarriageReturn;
    private boolean firstLine = true;

    /**
     * @param maxFrameBytes maximum length of a line in bytes, and of a frame's data in characters
     * @param frames receives each dispatched frame, in stream order
     */
    SseParser(int maxFrameBytes, Consumer<Frame> frames) {
        this.maxFrameBytes = maxFrameBytes;
        this.frames = frames;
    }

    /**
     * Parses the next chunk of the body and dispatches every frame it completes.
     *
     * @throws FrameTooLargeException when a line or a frame's data exceeds the limit
     */
    void feed(byte[] chunk) {
        for (byte b : chunk) {
            if (b == '\n') {
                // The LF of a CRLF pair ends nothing: the CR has already ended the line.
                if (!afterCarriageReturn) {
                    endLine();
                }
                afterCarriageReturn = false;
            } else if (b == '\r') {
                endLine();
                afterCarriageReturn = true;
            } else {
                afterCarriageReturn = false;
                if (line.size() >= maxFrameBytes) {
                    throw new FrameTooLargeException("an SSE line is longer than the maximum of " + maxFrameBytes
                            + " bytes");
                }
                line.write(b);
            }
        }
    }

    // CR and LF never occur inside a multi-byte UTF-8 sequence, so a whole line always decodes on its own.
    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (firstLine && text.startsWith(BYTE_ORDER_MARK)) {
            text = text.substring(1);
        }
        firstLine = false;
        if (text.isEmpty()) {
            dispatch();
        } else if (text.charAt(0) != ':') {
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            processField(field, value);
        }
    }

    private void processField(String field, String value) {
        switch (field) {
            case "event" -> event = value;
            case "data" -> {
                if (data.length() + value.length() >= maxFrameBytes) {
                    throw new FrameTooLargeException("an SSE frame's data is longer than the maximum of "
                            + maxFrameBytes + " characters");
                }
                data.append(value).append('\n');
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            default -> {
                // retry: and unknown fields do not concern a client that never reconnects.
            }
        }
    }

    private void dispatch() {
        if (hasData) {
            data.setLength(data.length() - 1);
            frames.accept(new Frame(lastEventId, event, data.toString()));
        }
        data.setLength(0);
        hasData = false;
        event = null;
    }
}
