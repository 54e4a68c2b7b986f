package dev.orderly.probe;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.orderly.testrun.TestRunRequest;

/**
 * Parameters of a probe. Every field is optional: an absent or {@code null} field takes the test page's default.
 * The limits are those of {@link TestRunRequest}, checked on the run request built from this one.
 *
 * @param count number of {@code content} events; one {@code complete} event follows
 * @param minSize smallest content size, in characters
 * @param maxSize largest content size, in characters
 * @param delayMs pause between two emits, in milliseconds
 */
@Schema(name = "ProbeRequest", description = "Parameters of a probe; an empty body or {} runs the default probe")
public record ProbeRequest(
        @Schema(minimum = "1", maximum = "10000", defaultValue = "100", example = "100") Integer count,
        @Schema(minimum = "0", maximum = "100000", defaultValue = "1", example = "1") Integer minSize,
        @Schema(minimum = "0", maximum = "100000", defaultValue = "5000", example = "5000") Integer maxSize,
        @Schema(minimum = "0", maximum = "10000", defaultValue = "5", example = "5") Integer delayMs) {

    static final int DEFAULT_COUNT = 100;
    static final int DEFAULT_MIN_SIZE = 1;
    static final int DEFAULT_MAX_SIZE = 5000;
    static final int DEFAULT_DELAY_MS = 5;

    /** The default probe: 100 events of 1 to 5000 characters, 5 ms apart. */
    public static final ProbeRequest DEFAULTS = new ProbeRequest(null, null, null, null);

    /** Builds the run request for channel {@code generate:<channelId>}, with defaults for absent fields. */
    TestRunRequest toRunRequest(String channelId) {
        return new TestRunRequest(channelId,
                count == null ? DEFAULT_COUNT : count,
                minSize == null ? DEFAULT_MIN_SIZE : minSize,
                maxSize == null ? DEFAULT_MAX_SIZE : maxSize,
                delayMs == null ? DEFAULT_DELAY_MS : delayMs);
    }
}
