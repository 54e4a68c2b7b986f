package dev.orderly.error;

import java.util.Map;

/**
 * Rejects a request before anything is written, naming the offending field, its value and the rule it broke.
 * Mapped to a {@link Problem} response with the given status.
 */
public class InvalidRequestException extends RuntimeException {

    private final int status;
    private final String field;
    private final String value;

    public InvalidRequestException(int status, String field, Object value, String message) {
        super(message);
        this.status = status;
        this.field = field;
        this.value = value == null ? null : Problem.abbreviate(String.valueOf(value));
    }

    public InvalidRequestException(String field, Object value, String message) {
        this(400, field, value, message);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    /** Headers the rejection's response carries besides its problem body; none unless a subclass adds some. */
    public Map<String, String> responseHeaders() {
        return Map.of();
    }
}
