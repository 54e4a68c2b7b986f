package dev.orderly.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link SseParser}: frames, line endings and chunk boundaries as the SSE specification defines them. */
class SseParserTest {

    private final List<SseParser.Frame> frames = new ArrayList<>();
    private final SseParser parser = new SseParser(1024, frames::add);

    @Test
    void parsesNamedAndUnnamedFrames() {
        feed("id:0-0\nevent:ready\nretry:1000\ndata:{\"cursor\":\"0-0\"}\n\nid:e-1\ndata:{\"offset\":1}\n\n");

        assertEquals(List.of(
                new SseParser.Frame("0-0", "ready", "{\"cursor\":\"0-0\"}"),
                new SseParser.Frame("e-1", null, "{\"offset\":1}")), frames);
    }

    @Test
    void acceptsEveryLineEnding() {
        feed("data:a\r\n\r\ndata:b\r\rdata:c\n\n");

        assertEquals(List.of("a", "b", "c"), data());
    }

    @Test
    void skipsComments() {
        feed(": ping\n\n:another\ndata:x\n\n");

        assertEquals(List.of("x"), data());
    }

    @Test
    void removesOneLeadingSpace() {
        feed("data:  two spaces\nevent: ready\n\n");

        assertEquals(List.of(new SseParser.Frame(null, "ready", " two spaces")), frames);
    }

    @Test
    void joinsDataLines() {
        feed("data:first\ndata\ndata:third\n\n");

        assertEquals(List.of("first\n\nthird"), data());
    }

    @Test
    void keepsLastIdForLaterFrames() {
        feed("id:e-1\ndata:a\n\ndata:b\n\n");

        assertEquals(List.of("e-1", "e-1"), frames.stream().map(SseParser.Frame::id).toList());
    }

    @Test
    void dropsFrameWithoutData() {
        feed("event:ready\n\ndata:x\n\n");

        assertEquals(List.of(new SseParser.Frame(null, null, "x")), frames);
    }

    @Test
    void dropsUnfinishedFrame() {
        feed("data:done\n\ndata:cut off\n");

        assertEquals(List.of("done"), data());
    }

    @Test
    void stripsByteOrderMark() {
        feed("\uFEFFdata:x\n\n");

        assertEquals(List.of("x"), data());
    }

    @Test
    void parsesEveryChunkBoundary() {
        String stream = "id:e-1\r\ndata:{\"content\":\"ä€😀\"}\r\n\r\n: ping\r\nevent:gap\r\ndata:{}\r\n\r\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<SseParser.Frame> expected = List.of(
                new SseParser.Frame("e-1", null, "{\"content\":\"ä€😀\"}"),
                new SseParser.Frame("e-1", "gap", "{}"));

        for (int split = 0; split <= bytes.length; split++) {
            List<SseParser.Frame> parsed = new ArrayList<>();
            SseParser splitParser = new SseParser(1024, parsed::add);
            splitParser.feed(Arrays.copyOfRange(bytes, 0, split));
            splitParser.feed(Arrays.copyOfRange(bytes, split, bytes.length));

            assertEquals(expected, parsed, "split at byte " + split);
        }
    }

    @Test
    void rejectsTooLongLine() {
        byte[] line = ("data:" + "x".repeat(1024)).getBytes(StandardCharsets.UTF_8);

        assertThrows(SseParser.FrameTooLargeException.class, () -> parser.feed(line));
    }

    @Test
    void rejectsTooLongData() {
        String line = "data:" + "x".repeat(600) + "\n";

        assertThrows(SseParser.FrameTooLargeException.class, () -> feed(line + line));
    }

    private void feed(String text) {
        parser.feed(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> data() {
        return frames.stream().map(SseParser.Frame::data).toList();
    }
}
