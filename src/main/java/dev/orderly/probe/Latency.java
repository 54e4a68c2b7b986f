package dev.orderly.probe;

import java.util.Arrays;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Delivery latency of the data frames a probe received: from the event's {@code emittedAt} to the moment the
 * probe's SSE client had read the whole frame, in milliseconds. Both times come from the system clock of the
 * same JVM. Percentiles use the nearest-rank method, and every field is {@code null} when no data frame arrived.
 */
@Schema(name = "ProbeLatency", description = "Delivery latency in milliseconds, from emit to receipt")
public record Latency(
        @Schema(example = "2") Long p50,
        @Schema(example = "4") Long p90,
        @Schema(example = "9") Long p99,
        @Schema(example = "12") Long max) {

    /** Computes the percentiles of {@code millis}, which may be in any order. */
    public static Latency of(List<Long> millis) {
        if (millis.isEmpty()) {
            return new Latency(null, null, null, null);
        }
        long[] sorted = millis.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Latency(percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** Returns the smallest value that at least {@code percent} percent of the values are less than or equal to. */
    private static long percentile(long[] sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
