package dev.orderly.channel;

import java.util.regex.Pattern;

import dev.orderly.error.InvalidRequestException;

/**
 * Channel name rules: 1–256 characters, each a letter, a digit or one of {@code : _ - .}. The rule keeps
 * {@code {} and {@code }} out of names, so a name can never change the Redis Cluster hash tag of its keys,
 * and keeps names safe to embed in keys, JSON and SSE frames without escaping.
 */
public final class ChannelName {

    public static final int MAX_LENGTH = 256;

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9:_.\\-]{1," + MAX_LENGTH + "}");

    private ChannelName() {
    }

    /**
     * Checks {@code name} and returns it.
     *
     * @param field the request field the name came from, used in the error message
     * @throws InvalidRequestException with status 400 when the name breaks the rules
     */
    public static String require(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidRequestException(field, name, field + " is missing: a channel name has 1 to "
                    + MAX_LENGTH + " characters");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidRequestException(field, name, field + " has " + name.length()
                    + " characters, the maximum is " + MAX_LENGTH);
        }
        if (!VALID.matcher(name).matches()) {
            throw new InvalidRequestException(field, name, field
                    + " may contain only letters, digits and the characters : _ - .");
        }
        return name;
    }
}
