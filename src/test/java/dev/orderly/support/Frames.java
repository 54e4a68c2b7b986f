package dev.orderly.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.testrun.PayloadHash;

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

    /**
     * Returns what a client received of a reproduction run, in the shape {@code POST /api/reports} takes: per data
     * frame its sequence id, type, content length and {@link PayloadHash}.
     */
    public static List<Map<String, Object>> arrivals(List<SseClient.Frame> frames) {
        List<Map<String, Object>> arrivals = new ArrayList<>(frames.size());
        for (SseClient.Frame frame : frames) {
            JsonNode event = json(frame);
            JsonNode content = event.at("/data/data/content");
            String text = content.isMissingNode() ? null : content.asText();
            arrivals.add(Map.of(
                    "sequenceId", event.at("/data/data/sequenceId").asLong(),
                    "type", event.at("/data/type").asText(),
                    "size", text == null ? 0 : text.length(),
                    "hash", PayloadHash.of(text)));
        }
        return arrivals;
    }

    /** Returns the list 1, 2, …, {@code last}. */
    public static List<Long> range(long first, long last) {
        return java.util.stream.LongStream.rangeClosed(first, last).boxed().toList();
    }
}
