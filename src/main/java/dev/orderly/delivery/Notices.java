package dev.orderly.delivery;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Data of the named control frames a subscriber can receive besides unnamed data frames. */
public final class Notices {

    private Notices() {
    }

    /** One channel's starting position in a {@code ready} frame. */
    @Schema(name = "ReadyChannel")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ReadyChannel(
            @Schema(example = "generate:3f2c9a1b") String channel,
            @Schema(description = "Current epoch, null while the channel has no history",
                    example = "9f2c4e1a7b3d5c60") String epoch,
            @Schema(description = "Offset delivery continues after", example = "0") long offset) {
    }

    /**
     * {@code event: ready}: Redis has confirmed the subscription; every event emitted from now on reaches this
     * connection.
     */
    @Schema(name = "ReadyNotice")
    public record Ready(List<ReadyChannel> channels, @Schema(example = "9f2c4e1a7b3d5c60-0") String cursor) {
    }

    /** {@code event: gap}: events in the offset range are no longer in the channel's history. */
    @Schema(name = "GapNotice")
    public record Gap(
            @Schema(example = "generate:3f2c9a1b") String channel,
            @Schema(example = "9f2c4e1a7b3d5c60") String epoch,
            @Schema(example = "41") long fromOffset,
            @Schema(example = "57") long toOffset,
            @Schema(example = "trimmed") String reason) {
    }

    /**
     * {@code event: reset}: the channel's history is not the one the resume position refers to; delivery
     * restarts from the first retained event of the current epoch.
     */
    @Schema(name = "ResetNotice")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Reset(
            @Schema(example = "generate:3f2c9a1b") String channel,
            @Schema(example = "0a1b2c3d4e5f6071") String previousEpoch,
            @Schema(example = "9f2c4e1a7b3d5c60") String epoch,
            @Schema(example = "epoch-changed") String reason) {
    }

    /**
     * {@code event: error}: the server ends this connection; resume with {@code cursor}, which is {@code null} when
     * a new subscription failed before it had a position (then simply reconnect).
     */
    @Schema(name = "ErrorNotice")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Error(
            @Schema(example = "redis-link-lost") String reason,
            @Schema(example = "The Redis pub/sub connection was lost") String message,
            @Schema(example = "9f2c4e1a7b3d5c60-41") String cursor) {
    }
}
