package dev.orderly.support;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the JSON of SSE frames in tests. */
public final class Frames {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Frames() {
    }

    public static JsonNode json(SseClient.Frame frame) {
        try {
            return JSON.readTree(frame.data());
        } catch (JsonProcessingException e) {
            throw new AssertionError("frame data is not JSON: " + frame.data(), e);
        }
    }

    /** Returns the {@code generate.event} sequence ids of data frames, in arrival order. */
    public static List<Long> sequenceIds(List<SseClient.Frame> frames) {
        return frames.stream().map(frame -> json(frame).at("/data/data/sequenceId").asLong()).toList();
    }

    /** Returns the channel offsets of data frames, in arrival order. */
    public static List<Long> offsets(List<SseClient.Frame> frames) {
        return frames.stream().map(frame -> json(frame).get("offset").asLong()).toList();
    }

    /** Returns the list 1, 2, …, {@code last}. */
    public static List<Long> range(long first, long last) {
        return java.util.stream.LongStream.rangeClosed(first, last).boxed().toList();
    }
}
