package dev.orderly.delivery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import dev.orderly.error.InvalidRequestException;

/**
 * A subscriber's position in each channel of its connection, carried in every data frame's SSE {@code id:}, so
 * the browser's {@code Last-Event-ID} restores all of them at once.
 *
 * <p>Text form: one {@code <epoch>-<offset>} per channel, joined by commas, in the order the channels appear in
 * the request, for example {@code 9f2c4e1a7b3d5c60-41}. The epoch is {@code 0} while the channel has no history.
 * The first connection may also pass a bare offset such as {@code 40}, which applies to every channel whatever
 * its epoch.
 */
public record Cursor(List<Position> positions) {

    /**
     * One channel's position.
     *
     * @param epoch the channel history the offset belongs to, or {@code null} when unknown
     * @param offset the last offset delivered, 0 before the first event
     */
    public record Position(String epoch, long offset) {
    }

    /** Offsets are at most 18 decimal digits, so every accepted value fits a {@code long} without overflow. */
    private static final Pattern OFFSET = Pattern.compile("[0-9]{1,18}");
    private static final Pattern EPOCH = Pattern.compile("0|[0-9a-f]{16}");
    private static final String UNKNOWN_EPOCH = "0";

    /**
     * Parses a cursor for a connection with {@code channels} channels.
     *
     * @param field the request field it came from, named in the error message
     * @throws InvalidRequestException 400 when the text is not a cursor for that many channels
     */
    public static Cursor parse(String field, String text, int channels) {
        if (OFFSET.matcher(text).matches()) {
            Position position = new Position(null, Long.parseLong(text));
            return new Cursor(Collections.nCopies(channels, position));
        }
        String[] parts = text.split(",", -1);
        if (parts.length != channels) {
            throw invalid(field, text, "it has " + parts.length + " positions for " + channels + " channels");
        }
        List<Position> positions = new ArrayList<>(channels);
        for (String part : parts) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                throw invalid(field, text, "a position is <epoch>-<offset>");
            }
            String epoch = part.substring(0, dash);
            String offset = part.substring(dash + 1);
            if (!EPOCH.matcher(epoch).matches()) {
                throw invalid(field, text, "an epoch is 16 lowercase hexadecimal digits, or 0");
            }
            if (!OFFSET.matcher(offset).matches()) {
                throw invalid(field, text, "an offset is a non-negative integer of at most 18 digits");
            }
            positions.add(new Position(UNKNOWN_EPOCH.equals(epoch) ? null : epoch, Long.parseLong(offset)));
        }
        return new Cursor(List.copyOf(positions));
    }

    /** Formats one channel's position for {@link #parse}. */
    static void append(StringBuilder text, String epoch, long offset) {
        text.append(epoch == null ? UNKNOWN_EPOCH : epoch).append('-').append(offset);
    }

    private static InvalidRequestException invalid(String field, String text, String reason) {
        return new InvalidRequestException(field, text, field + " is not a valid resume position: " + reason
                + ". Send the id of the last event received, or a bare offset such as 40.");
    }
}
