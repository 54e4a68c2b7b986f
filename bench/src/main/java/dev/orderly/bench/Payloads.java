package dev.orderly.bench;

import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Emit bodies of type {@code generate.event}. Each carries its send time ({@link System#nanoTime()} of this JVM)
 * as {@code messageId}, so a subscriber computes the end-to-end latency of every frame without knowing its offset
 * in advance, which concurrent emits to one channel do not allow.
 */
final class Payloads {

    /** Letters, digits, a space and two characters that take 2 and 3 bytes in UTF-8, none of which JSON escapes. */
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \u00e9\u4e2d";
    private static final String MESSAGE_ID = "\"messageId\":\"";
    private static final String OFFSET = "\"offset\":";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Payloads() {
    }

    static String content(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    /** Builds an emit body stamped with the current time; {@code content} must need no JSON escaping. */
    static String emitBody(long sequenceId, String content) {
        return "{\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\""
                + System.nanoTime() + "\",\"sequenceId\":" + sequenceId + ",\"content\":\"" + content + "\"}}}";
    }

    /** Returns the send time stamped by {@link #emitBody} in a data frame, or -1 when it has none. */
    static long sendNanos(String frameData) {
        int start = frameData.indexOf(MESSAGE_ID);
        if (start < 0) {
            return -1;
        }
        return parseLong(frameData, start + MESSAGE_ID.length());
    }

    /** Returns the top-level {@code offset} of a data frame's JSON, or -1 when it has none. */
    static long frameOffset(String frameData) {
        // Channel names and epochs cannot contain quotes, so the first match is the top-level field.
        int start = frameData.indexOf(OFFSET);
        return start < 0 ? -1 : parseLong(frameData, start + OFFSET.length());
    }

    /** Returns the offset in a one-channel cursor {@code <epoch>-<offset>}, or -1 when it is not one. */
    static long cursorOffset(String id) {
        int dash = id.lastIndexOf('-');
        return dash < 0 ? -1 : parseLong(id, dash + 1);
    }

    /** Returns the {@code data.data} object of a data frame, or {@code null} when the JSON is malformed. */
    static JsonNode eventData(String frameData) {
        try {
            return MAPPER.readTree(frameData).path("data").path("data");
        } catch (Exception e) {
            return null;
        }
    }

    static String offsetOfEmitResponse(String body) {
        int start = body.indexOf(OFFSET);
        return start < 0 ? null : Long.toString(parseLong(body, start + OFFSET.length()));
    }

    private static long parseLong(String text, int start) {
        long value = 0;
        int i = start;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i) - '0');
            i++;
        }
        return i == start ? -1 : value;
    }
}
