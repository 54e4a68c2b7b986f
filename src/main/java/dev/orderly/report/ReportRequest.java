package dev.orderly.report;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A run and what a client received of it.
 *
 * @param arrivals received events in arrival order, duplicates included. At most 30,000 (three times the largest
 *        run), so a client that received a run more than once can still be reported on.
 */
@Schema(name = "ReportRequest", description = "A run and what a client received of it")
public record ReportRequest(
        @NotNull(message = "is missing") @Pattern(regexp = "[0-9a-f]{16}", message = "must be a run id: 16 lowercase hexadecimal digits")
        @Schema(required = true, example = "5f1c2e9a0b7d4c36") String runId,
        @NotNull(message = "is missing") @Size(max = 30_000, message = "must have at most 30000 entries")
        @Schema(required = true) List<@NotNull(message = "is missing") @Valid Arrival> arrivals) {
}
