package dev.orderly.testrun;

import java.nio.charset.StandardCharsets;

/**
 * FNV-1a 32-bit checksum of a payload's UTF-8 bytes, as 8 lowercase hexadecimal digits. It detects altered
 * payloads, not forged ones. The test page computes the same value in JavaScript, where SHA-256 is available only
 * on HTTPS or localhost origins.
 */
public final class PayloadHash {

    private static final int OFFSET_BASIS = 0x811c9dc5;
    private static final int PRIME = 0x01000193;

    private PayloadHash() {
    }

    /** Returns the checksum of {@code content}; {@code null} counts as the empty string. */
    public static String of(String content) {
        int hash = OFFSET_BASIS;
        if (content != null) {
            for (byte b : content.getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= PRIME;
            }
        }
        return String.format("%08x", hash);
    }
}
