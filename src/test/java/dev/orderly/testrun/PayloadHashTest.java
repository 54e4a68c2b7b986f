package dev.orderly.testrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadHashTest {

    /** The standard FNV-1a 32-bit offset basis and prime. */
    private static final long OFFSET_BASIS = 0x811c9dc5L;
    private static final long PRIME = 0x01000193L;

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({
            "'', 811c9dc5",
            "a, e40c292c",
            "foobar, bf9cf968"
    })
    void matchesKnownVectors(String content, String expected) {
        assertEquals(expected, PayloadHash.of(content));
    }

    @Test
    void nullHashesAsEmpty() {
        assertEquals("811c9dc5", PayloadHash.of(null));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = { "é", "naïve café", "😀", "日本語" })
    void hashesUtf8Bytes(String content) {
        assertEquals(fnv1a(content.getBytes(StandardCharsets.UTF_8)), PayloadHash.of(content));
    }

    @Test
    void hashesTwoByteCharacter() {
        // "é" is C3 A9 in UTF-8. Its UTF-16LE bytes would hash to 59fb6f0c and its Latin-1 byte to 6c0b6c44.
        assertEquals("1e9de8c1", PayloadHash.of("é"));
    }

    @Test
    void hashesSurrogatePairAsOneCodePoint() {
        // U+1F600 is F0 9F 98 80 in UTF-8, not two encoded surrogates.
        assertEquals("33a29608", PayloadHash.of("😀"));
        assertNotEquals(fnv1a("😀".getBytes(StandardCharsets.UTF_16LE)), PayloadHash.of("😀"));
    }

    /** Independent FNV-1a 32 over bytes, in long arithmetic, so it shares no code with the class under test. */
    private static String fnv1a(byte[] bytes) {
        long hash = OFFSET_BASIS;
        for (byte b : bytes) {
            hash ^= b & 0xffL;
            hash = (hash * PRIME) & 0xffffffffL;
        }
        return String.format("%08x", hash);
    }
}
