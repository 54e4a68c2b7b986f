package dev.orderly.testrun;

import java.util.List;

/**
 * The facts of a run kept in Redis, from which a delivery report is computed later.
 *
 * @param sizes sent content size by sequence id, including the {@code complete} event's 0
 * @param hashes {@link PayloadHash} of the sent content by sequence id, including the {@code complete} event's
 */
public record RunRecord(String runId, String channel, int count, List<Integer> sizes, List<String> hashes) {

    /** Number of events the run emits: {@code count} content events and one {@code complete}. */
    public int expected() {
        return count + 1;
    }
}
