package dev.orderly.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseParserTest {

    private final List<SseParser.Frame> frames = new ArrayList<>();
    private final SseParser parser = new SseParser(frames::add);

    private void feed(String text) {
        parser.feed(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesReadyAndDataFrames() {
        feed("id:0-0\nevent:ready\nretry:1000\ndata:{\"cursor\":\"0-0\"}\n\n"
                + "id:abc-1\ndata:{\"offset\":1}\n\n");

        assertEquals(2, frames.size());
        assertEquals("ready", frames.get(0).event());
        assertEquals("0-0", frames.get(0).id());
        assertNull(frames.get(1).event());
        assertEquals("abc-1", frames.get(1).id());
        assertEquals("{\"offset\":1}", frames.get(1).data());
    }

    @Test
    void acceptsCrLfAndLoneCr() {
        feed("id: a-1\r\ndata: x\r\n\r\nid: a-2\rdata: y\r\r");

        assertEquals(2, frames.size());
        assertEquals("a-1", frames.get(0).id());
        assertEquals("x", frames.get(0).data());
        assertEquals("a-2", frames.get(1).id());
        assertEquals("y", frames.get(1).data());
    }

    @Test
    void joinsCrLfSplitAcrossChunks() {
        feed("data: x\r");
        feed("\n\r");
        feed("\n");

        assertEquals(1, frames.size());
        assertEquals("x", frames.get(0).data());
    }

    @Test
    void decodesCharacterSplitAcrossChunks() {
        byte[] bytes = "data: \u4e2d\u00e9\n\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            parser.feed(new byte[] {b});
        }

        assertEquals(1, frames.size());
        assertEquals("\u4e2d\u00e9", frames.get(0).data());
    }

    @Test
    void countsCommentsWithoutDataFrames() {
        feed(": ping\n\n");

        assertEquals(1, parser.commentCount());
        assertEquals(1, frames.size());
        assertNull(frames.get(0).data());
        assertEquals(1, frames.get(0).comments());
    }

    @Test
    void joinsMultipleDataLines() {
        feed("data: a\ndata:b\n\n");

        assertEquals("a\nb", frames.get(0).data());
    }
}
