package dev.orderly.testrun;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.orderly.error.InvalidRequestException;

/**
 * Parameters of a reproduction run. The limits keep one run within what one request can reasonably hold.
 *
 * @param channelId suffix of the channel name; the run emits on {@code generate:<channelId>}
 * @param count number of {@code content} events, each followed by a delay; one {@code complete} event follows
 * @param minSize smallest content size, in characters
 * @param maxSize largest content size, in characters
 * @param delayMs pause between two emits, in milliseconds
 */
@Schema(name = "TestRunRequest", description = "Parameters of a reproduction run")
public record TestRunRequest(
        @NotNull(message = "is missing")
        @Size(min = 1, max = 247, message = "must have 1 to 247 characters")
        @Pattern(regexp = "[A-Za-z0-9:_.\\-]*", message = "may contain only letters, digits and : _ - .")
        @Schema(required = true, example = "3f2c9a1b7d4e6f80") String channelId,

        @NotNull(message = "is missing")
        @Min(value = 1, message = "must be between 1 and 10000")
        @Max(value = 10_000, message = "must be between 1 and 10000")
        @Schema(required = true, minimum = "1", maximum = "10000", example = "100") Integer count,

        @NotNull(message = "is missing")
        @Min(value = 0, message = "must be between 0 and 100000")
        @Max(value = 100_000, message = "must be between 0 and 100000")
        @Schema(required = true, minimum = "0", maximum = "100000", example = "1") Integer minSize,

        @NotNull(message = "is missing")
        @Min(value = 0, message = "must be between 0 and 100000")
        @Max(value = 100_000, message = "must be between 0 and 100000")
        @Schema(required = true, minimum = "0", maximum = "100000", example = "5000") Integer maxSize,

        @NotNull(message = "is missing")
        @Min(value = 0, message = "must be between 0 and 10000")
        @Max(value = 10_000, message = "must be between 0 and 10000")
        @Schema(required = true, minimum = "0", maximum = "10000", example = "5") Integer delayMs) {

    /** Channel prefix of every reproduction run. */
    public static final String CHANNEL_PREFIX = "generate:";

    public String channel() {
        return CHANNEL_PREFIX + channelId;
    }

    /**
     * Checks the rule between fields that Bean Validation does not express.
     *
     * @throws InvalidRequestException 400 when {@code minSize} is greater than {@code maxSize}
     */
    public void checkSizes() {
        if (minSize > maxSize) {
            throw new InvalidRequestException("minSize", minSize, "minSize must not be greater than maxSize ("
                    + maxSize + ")");
        }
    }
}
