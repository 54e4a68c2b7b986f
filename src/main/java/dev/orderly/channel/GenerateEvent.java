package dev.orderly.channel;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Data of the {@code generate.event} type, the event the reproduction run emits: a stream of {@code content}
 * chunks of one message, closed by one {@code complete} event.
 */
@Schema(name = "GenerateEvent", description = "Data of a generate.event")
public record GenerateEvent(
        @NotNull @Schema(required = true) Type type,
        @NotNull @Valid @Schema(required = true) Data data) {

    public static final String NAME = "generate.event";

    public enum Type {
        @JsonProperty("content")
        CONTENT,
        @JsonProperty("complete")
        COMPLETE
    }

    /**
     * @param messageId the message the chunk belongs to; the reproduction run uses its run id
     * @param sequenceId position of the chunk in the message, from 1
     * @param content the chunk's text; absent on {@code complete}
     */
    @Schema(name = "GenerateEventData")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(
            @NotNull @Schema(required = true, example = "run-5f1c2e") String messageId,
            @NotNull @Min(1) @Schema(required = true, minimum = "1", example = "1") Long sequenceId,
            @Schema(example = "Hello") String content) {
    }
}
