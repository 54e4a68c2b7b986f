package dev.orderly.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.orderly.error.InvalidRequestException;
import dev.orderly.error.JsonErrors;

/**
 * The event types a channel accepts, each declared as a Java type. An event's data is checked against its type
 * (strict JSON binding, then Bean Validation) before anything reaches Redis, and stored in the canonical form
 * that Jackson writes for that type.
 */
@ApplicationScoped
public class EventTypes {

    private static final Map<String, Class<?>> TYPES = Map.of(GenerateEvent.NAME, GenerateEvent.class);

    private final ObjectMapper strictMapper;
    private final Validator validator;

    @Inject
    public EventTypes(ObjectMapper mapper, Validator validator) {
        this.strictMapper = strict(mapper);
        this.validator = validator;
    }

    /** Returns the names of all declared event types, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(TYPES.keySet());
    }

    /**
     * Checks {@code data} against the type named {@code event} and returns it serialized.
     *
     * @throws InvalidRequestException 400 for an unknown event name, 422 for data that does not match the type
     */
    public String toDataJson(String event, JsonNode data) {
        Class<?> type = event == null ? null : TYPES.get(event);
        if (type == null) {
            throw new InvalidRequestException("event", event,
                    "event " + (event == null ? "is missing" : "'" + event + "' is unknown")
                            + "; known event types: " + String.join(", ", names()));
        }
        if (data == null || data.isNull()) {
            throw new InvalidRequestException(422, "data", null, "data is missing: " + event + " requires an object");
        }
        requireWellFormedText("data", data);
        return serialize(validate(bind(type, data)));
    }

    /** Serializes a typed event's data, as {@link #toDataJson} stores it. */
    public String serialize(Object value) {
        try {
            return strictMapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data of type " + value.getClass().getSimpleName()
                    + " could not be serialized", e);
        }
    }

    private Object bind(Class<?> type, JsonNode data) {
        ObjectReader reader = strictMapper.readerFor(type);
        try {
            return reader.readValue(data);
        } catch (JsonProcessingException e) {
            throw JsonErrors.toInvalidRequest(422, "data", e);
        } catch (IOException e) {
            throw new UncheckedIOException("event data could not be read from its JSON tree", e);
        }
    }

    private <T> T validate(T value) {
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (violations.isEmpty()) {
            return value;
        }
        ConstraintViolation<T> first = violations.stream()
                .min((a, b) -> a.getPropertyPath().toString().compareTo(b.getPropertyPath().toString()))
                .orElseThrow();
        String field = "data." + first.getPropertyPath();
        throw new InvalidRequestException(422, field, first.getInvalidValue(),
                field + " " + first.getMessage()
                        + (first.getInvalidValue() == null ? "" : ", got " + first.getInvalidValue()));
    }

    /** Copies the application's mapper, which {@code StrictJson} already makes strict, and adds what binding from
     * a tree needs. */
    private static ObjectMapper strict(ObjectMapper mapper) {
        return mapper.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * Rejects strings with an unpaired UTF-16 surrogate (JSON allows the escape {@code \ud800} alone), because they
     * have no UTF-8 form and Redis would store a replacement character instead of what the client sent.
     */
    private static void requireWellFormedText(String field, JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (paired) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new InvalidRequestException(422, field, null, field
                            + " contains an unpaired UTF-16 surrogate at index " + i + "; send valid Unicode text");
                }
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(entry -> requireWellFormedText(field + "." + entry.getKey(),
                    entry.getValue()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireWellFormedText(field + "[" + i + "]", node.get(i));
            }
        }
    }
}
