package dev.orderly.report;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The verdict on one client's delivery of one run.
 *
 * @param expected events the run emitted: its content events and the complete event
 * @param received arrivals, duplicates included
 * @param duplicateIds sequence ids that arrived more than once, each listed once
 * @param unexpectedIds sequence ids outside the run
 * @param inOrder whether every arrival's sequence id is greater than the one before it, so a duplicate also makes
 *        the delivery out of order
 * @param arrivalOrder sequence ids in arrival order
 * @param payloadMismatchCount arrivals whose type, size or checksum differ from what was sent
 * @param clean nothing missing, duplicated, unexpected, reordered or altered
 * @param events one row per arrival in arrival order, then one per missing event
 */
@Schema(name = "DeliveryReport", description = "The verdict on one client's delivery of a run")
public record DeliveryReport(
        @Schema(example = "5f1c2e9a0b7d4c36") String runId,
        @Schema(example = "generate:3f2c9a1b7d4e6f80") String channel,
        @Schema(example = "101") int expected,
        @Schema(example = "101") int received,
        @Schema(example = "0") int missingCount,
        List<Long> missingIds,
        @Schema(example = "0") int duplicateCount,
        List<Long> duplicateIds,
        List<Long> unexpectedIds,
        @Schema(example = "true") boolean inOrder,
        List<Long> arrivalOrder,
        @Schema(example = "0") int payloadMismatchCount,
        @Schema(example = "true") boolean clean,
        List<EventReport> events) {
}
