package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;


import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Payloads that break naive SSE framing arrive character for character. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class PayloadFidelityTest extends SubscriberTestBase {

    @Test
    void awkwardPayloadsArriveIdentical() {
        List<String> payloads = List.of(
                "line1\nline2",
                "a\r\nb",
                "a\rb",
                "\n\n",
                "",
                "data: x\n\nid: 9",
                "emoji \uD83D\uDE00\uD83C\uDF89 and a flag \uD83C\uDDF3\uD83C\uDDF4",
                "separators \u2028 and \u2029",
                "quote \" backslash \\ tab \t nul-free control \u0001",
                largePayload(100_000));
        String channel = "payloads:" + Runs.newChannelId();

        try (SseClient client = SseClient.open(URI.create(realtime + "?channel=" + channel))) {
            client.awaitReady();
            for (int i = 0; i < payloads.size(); i++) {
                Runs.emitContent(channel, i + 1, payloads.get(i));
            }
            List<SseClient.Frame> frames = client.awaitData(payloads.size(), Duration.ofSeconds(20));

            assertEquals(payloads.size(), frames.size());
            for (int i = 0; i < payloads.size(); i++) {
                String received = Frames.json(frames.get(i)).at("/data/data/content").asText();
                assertEquals(payloads.get(i), received, "payload " + (i + 1));
            }
        }
    }

    /** Builds a string mixing ASCII, multi-byte and surrogate-pair characters, so its UTF-8 spans many TCP reads. */
    private static String largePayload(int length) {
        Random random = new Random(42);
        String alphabet = "abcXYZ019 é€\u4e2d\n";
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length - 1) {
            if (random.nextInt(50) == 0) {
                text.append("\uD83D\uDE80");
            } else {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        while (text.length() < length) {
            text.append('z');
        }
        return text.toString();
    }
}
