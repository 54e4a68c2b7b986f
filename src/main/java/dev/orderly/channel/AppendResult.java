package dev.orderly.channel;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The position of an appended event.
 *
 * @param epoch the channel's history id; it changes only when the history was lost and restarted
 * @param offset the event's position in the channel, contiguous from 1 within an epoch
 * @param replayed true when an earlier emit with the same Idempotency-Key already appended the event, whose
 *        position this is; nothing was appended this time
 */
@Schema(name = "AppendResult", description = "Where an emitted event landed in its channel")
public record AppendResult(
        @Schema(example = "9f2c4e1a7b3d5c60") String epoch,
        @Schema(example = "41") long offset,
        @Schema(example = "false") boolean replayed) {
}
