package dev.orderly.report;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One row of the per-event table: an arrival, or an expected event that never arrived.
 *
 * @param arrival 1-based arrival index, {@code null} for a missing event
 * @param sentSize content size the run sent for this sequence id, {@code null} when the run has no such id
 * @param receivedSize content size the client received, {@code null} for a missing event
 * @param payloadMatch whether type, size and checksum equal what was sent
 */
@Schema(name = "EventReport", description = "One row of the per-event table")
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventReport(
        @Schema(example = "1") Integer arrival,
        @Schema(example = "1") long sequenceId,
        @Schema(example = "content") String type,
        @Schema(example = "1234") Integer sentSize,
        @Schema(example = "1234") Integer receivedSize,
        @Schema(example = "true") boolean payloadMatch) {
}
