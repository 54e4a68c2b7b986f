package dev.orderly.report;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One event as a client received it.
 *
 * @param type the event's {@code type}, {@code content} or {@code complete}
 * @param size received content length in characters (UTF-16 code units), 0 without content
 * @param hash FNV-1a 32-bit checksum of the received content's UTF-8 bytes, 8 lowercase hexadecimal digits
 */
@Schema(name = "Arrival", description = "One event as the client received it")
public record Arrival(
        @NotNull(message = "is missing") @Min(value = 1, message = "must be at least 1")
        @Schema(required = true, example = "1") Long sequenceId,
        @NotNull(message = "is missing") @Schema(required = true, example = "content") String type,
        @NotNull(message = "is missing") @Min(value = 0, message = "must be at least 0")
        @Schema(required = true, example = "1234") Integer size,
        @NotNull(message = "is missing") @Pattern(regexp = "[0-9a-f]{8}", message = "must be 8 lowercase hexadecimal digits")
        @Schema(required = true, example = "a1b2c3d4") String hash) {
}
