package dev.orderly.probe;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.orderly.report.DeliveryReport;

/**
 * The outcome of one probe.
 *
 * @param report the delivery report of the probe's subscriber, computed as {@code POST /api/reports} does
 * @param timedOut whether the wait limit passed before the {@code complete} event arrived. The report then lists
 *        the events that had not arrived as missing.
 * @param notices in arrival order, the named frames other than {@code ready} ({@code gap}, {@code reset},
 *        {@code error}) and the probe's own notes: {@code unreadable} for a data frame without JSON or a sequence
 *        id, {@code stream-ended} when the stream ended before {@code complete}. At most
 *        {@value ProbeSubscriber#MAX_NOTICES} are kept, and a last notice {@code dropped} counts the rest.
 * @param durationMs time from opening the subscription to the computed report, in milliseconds
 */
@Schema(name = "ProbeResult", description = "Delivery report and latency of one probe")
public record ProbeResult(
        @Schema(example = "5f1c2e9a0b7d4c36") String runId,
        @Schema(example = "generate:probe-3f2c9a1b7d4e6f80") String channel,
        DeliveryReport report,
        Latency latency,
        @Schema(example = "false") boolean timedOut,
        List<Notice> notices,
        @Schema(example = "1240") long durationMs) {

    /**
     * A named frame the probe's subscriber received, or a note of the probe about its stream.
     *
     * @param event the frame's name
     * @param data the frame's data, a JSON object as text
     */
    @Schema(name = "ProbeNotice", description = "A named SSE frame the probe received other than ready (gap, "
            + "reset, error), or a note about its stream (unreadable, stream-ended, dropped)")
    public record Notice(
            @Schema(example = "gap") String event,
            @Schema(example = "{\"channel\":\"generate:probe-3f2c\",\"epoch\":\"9f2c4e1a7b3d5c60\",\"fromOffset\":4,"
                    + "\"toOffset\":6,\"reason\":\"trimmed\"}") String data) {
    }
}
