package dev.orderly.emit;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event to append to a channel.
 *
 * @param event the event type name, such as {@code generate.event}
 * @param data the event's data, checked against the type's schema
 */
@Schema(name = "EmitRequest", description = "An event to emit")
public record EmitRequest(
        @Schema(required = true, example = "generate.event", enumeration = { "generate.event" }) String event,
        @Schema(required = true, description = "Data matching the event type; for generate.event see GenerateEvent",
                implementation = Object.class,
                example = "{\"type\":\"content\",\"data\":{\"messageId\":\"m1\",\"sequenceId\":1,\"content\":\"Hi\"}}")
        JsonNode data) {
}
