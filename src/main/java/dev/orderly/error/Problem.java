package dev.orderly.error;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body of every error response, shaped after RFC 9457 problem details.
 *
 * @param type a stable identifier of the kind of error
 * @param title the HTTP reason phrase
 * @param status the HTTP status code
 * @param detail what was wrong and what to send instead
 * @param field the request field at fault, when one is
 * @param value the rejected value, abbreviated to 200 characters, when there is one
 * @param emitted for a reproduction run that failed part way, the offsets of the events it emitted before the
 *        failure, in sequence id order
 */
@Schema(name = "Problem", description = "Error response body")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(example = "invalid-request") String type,
        @Schema(example = "Bad Request") String title,
        @Schema(example = "400") int status,
        @Schema(example = "count must be between 1 and 10000, got 0") String detail,
        @Schema(example = "count") String field,
        @Schema(example = "0") String value,
        List<Long> emitted) {

    public Problem(String type, String title, int status, String detail, String field, String value) {
        this(type, title, status, detail, field, value, null);
    }

    private static final int MAX_VALUE_LENGTH = 200;

    /**
     * Returns {@code text} fit for one log line: control characters escaped as {@code \\uXXXX} so client input
     * cannot forge log lines, and abbreviated like a rejected value.
     */
    public static String forLog(String text) {
        StringBuilder escaped = new StringBuilder(Math.min(text.length(), MAX_VALUE_LENGTH * 2));
        String shortened = abbreviate(text);
        for (int i = 0; i < shortened.length(); i++) {
            char c = shortened.charAt(i);
            if (Character.isISOControl(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    static String abbreviate(String value) {
        if (value.length() <= MAX_VALUE_LENGTH) {
            return value;
        }
        return value.substring(0, MAX_VALUE_LENGTH) + "… (" + value.length() + " characters)";
    }
}
