package dev.orderly.testrun;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The events a reproduction run emitted.
 *
 * @param sizes content size of each {@code content} event, by sequence id
 * @param offsets channel offset of each event, by sequence id, the {@code complete} event last
 */
@Schema(name = "TestRunResult", description = "What a reproduction run emitted")
public record TestRunResult(
        @Schema(example = "5f1c2e9a0b7d4c36") String runId,
        @Schema(example = "generate:3f2c9a1b7d4e6f80") String channel,
        @Schema(example = "9f2c4e1a7b3d5c60") String epoch,
        @Schema(example = "100") int count,
        List<Integer> sizes,
        List<Long> offsets) {
}
