package dev.orderly.error;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Describes a JSON parsing or binding error in request terms: the dotted field (such as {@code data.sequenceId})
 * and what was expected there, without Java class names.
 */
public final class JsonErrors {

    private JsonErrors() {
    }

    /**
     * Returns an {@link InvalidRequestException} for {@code error}.
     *
     * @param root prefix of the field path, or {@code null} for the request body itself
     */
    public static InvalidRequestException toInvalidRequest(int status, String root, JsonProcessingException error) {
        String field = error instanceof JsonMappingException mapping ? path(root, mapping.getPath())
                : root == null ? "body" : root;
        if (error instanceof UnrecognizedPropertyException unknown) {
            return new InvalidRequestException(status, field, null, field + " is not a known field; known fields: "
                    + names(unknown.getKnownPropertyIds()));
        }
        if (rootCause(error) instanceof InputCoercionException coercion) {
            return new InvalidRequestException(status, field, null, field + " is out of range for "
                    + rangeOf(coercion.getTargetType()));
        }
        if (error instanceof InvalidFormatException format) {
            return new InvalidRequestException(status, field, format.getValue(), field + " must be "
                    + expected(format.getTargetType()) + ", got " + format.getValue());
        }
        if (error instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new InvalidRequestException(status, field, null, field + " must be "
                    + expected(mismatch.getTargetType()));
        }
        if (error instanceof StreamReadException read && read.getProcessor() != null
                && error.getOriginalMessage().startsWith("Duplicate field")) {
            String duplicate = contextPath(root, read.getProcessor().getParsingContext());
            return new InvalidRequestException(status, duplicate, null, duplicate
                    + " appears more than once; send each key once");
        }
        String location = error.getLocation() == null ? ""
                : " at line " + error.getLocation().getLineNr() + ", column " + error.getLocation().getColumnNr();
        return new InvalidRequestException(status, field, null, "request body is not valid JSON" + location);
    }

    private static String contextPath(String root, JsonStreamContext context) {
        List<String> names = new java.util.ArrayList<>();
        for (JsonStreamContext current = context; current != null; current = current.getParent()) {
            if (current.inObject() && current.getCurrentName() != null) {
                names.add(0, current.getCurrentName());
            } else if (current.inArray()) {
                names.add(0, "[" + current.getCurrentIndex() + "]");
            }
        }
        StringBuilder field = new StringBuilder(root == null ? "" : root);
        for (String name : names) {
            if (!name.startsWith("[") && !field.isEmpty()) {
                field.append('.');
            }
            field.append(name);
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String rangeOf(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        return "its type";
    }

    private static String path(String root, List<Reference> path) {
        StringBuilder field = new StringBuilder(root == null ? "" : root);
        for (Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different JSON value";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> constant.toString().toLowerCase(java.util.Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String names(Collection<Object> ids) {
        return ids == null ? "" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
