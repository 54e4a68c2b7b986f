package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.orderly.delivery.Cursor.Position;
import dev.orderly.error.InvalidRequestException;

class CursorTest {

    private static final String FIELD = "Last-Event-ID";

    @Test
    void bareOffsetAppliesToAllChannels() {
        Cursor cursor = Cursor.parse(FIELD, "40", 3);

        assertEquals(List.of(new Position(null, 40), new Position(null, 40), new Position(null, 40)),
                cursor.positions());
    }

    @Test
    void parsesEpochAndOffset() {
        Cursor cursor = Cursor.parse(FIELD, "9f2c4e1a7b3d5c60-41", 1);

        assertEquals(List.of(new Position("9f2c4e1a7b3d5c60", 41)), cursor.positions());
    }

    @Test
    void zeroEpochIsUnknown() {
        Cursor cursor = Cursor.parse(FIELD, "0-0", 1);

        assertEquals(List.of(new Position(null, 0)), cursor.positions());
    }

    @Test
    void parsesOnePositionPerChannel() {
        Cursor cursor = Cursor.parse(FIELD, "aaaaaaaaaaaaaaaa-1,bbbbbbbbbbbbbbbb-2", 2);

        assertEquals(List.of(new Position("aaaaaaaaaaaaaaaa", 1), new Position("bbbbbbbbbbbbbbbb", 2)),
                cursor.positions());
    }

    @Test
    void acceptsEighteenDigitOffset() {
        assertEquals(List.of(new Position(null, 999_999_999_999_999_999L)),
                Cursor.parse(FIELD, "999999999999999999", 1).positions());
        assertEquals(List.of(new Position("9f2c4e1a7b3d5c60", 999_999_999_999_999_999L)),
                Cursor.parse(FIELD, "9f2c4e1a7b3d5c60-999999999999999999", 1).positions());
    }

    static List<Arguments> invalidCursors() {
        return List.of(
                Arguments.of("garbage", "garbage", 1),
                Arguments.of("negative bare offset", "-1", 1),
                Arguments.of("negative offset", "9f2c4e1a7b3d5c60--1", 1),
                Arguments.of("bare offset 2^63", "9223372036854775808", 1),
                Arguments.of("bare offset 2^64", "18446744073709551616", 1),
                Arguments.of("offset 2^63", "9f2c4e1a7b3d5c60-9223372036854775808", 1),
                Arguments.of("uppercase epoch", "ABCDEF0123456789-1", 1),
                Arguments.of("trailing NUL", "9f2c4e1a7b3d5c60-1\u0000", 1),
                Arguments.of("space in epoch", "9f2c 4e1a-1", 1),
                Arguments.of("leading space", " 40", 1),
                Arguments.of("short epoch", "9f2c4e1a-1", 1),
                Arguments.of("missing offset", "9f2c4e1a7b3d5c60-", 1),
                Arguments.of("one position for two channels", "aaaaaaaaaaaaaaaa-1", 2),
                Arguments.of("two positions for one channel", "aaaaaaaaaaaaaaaa-1,bbbbbbbbbbbbbbbb-2", 1),
                Arguments.of("trailing comma", "aaaaaaaaaaaaaaaa-1,", 1),
                Arguments.of("empty position", "aaaaaaaaaaaaaaaa-1,", 2),
                Arguments.of("empty text", "", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCursors")
    void rejectsInvalidCursor(String description, String text, int channels) {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> Cursor.parse(FIELD, text, channels));

        assertEquals(400, error.status());
        assertEquals(FIELD, error.field());
        assertEquals(text, error.value());
        assertTrue(error.getMessage().startsWith(FIELD + " is not a valid resume position"), error.getMessage());
    }

    @Test
    void namesGivenField() {
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> Cursor.parse("since", "garbage", 1));

        assertEquals("since", error.field());
        assertTrue(error.getMessage().startsWith("since "), error.getMessage());
    }
}
