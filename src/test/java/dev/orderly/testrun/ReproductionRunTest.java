package dev.orderly.testrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;


import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The reproduction, end to end: a run over real Redis and SSE, checked frame by frame and by the report. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class ReproductionRunTest extends SubscriberTestBase {

    @Test
    void defaultRunArrivesOnceInOrder() {
        assertRunDelivered(100, 1, 5000, 5);
    }

    @Test
    void stressRunArrivesOnceInOrder() {
        assertRunDelivered(1000, 1, 5000, 0);
    }

    private void assertRunDelivered(int count, int minSize, int maxSize, int delayMs) {
        String channelId = Runs.newChannelId();
        try (SseClient client = SseClient.open(uri("generate:" + channelId))) {
            client.awaitReady();
            JsonPath run = Runs.run(channelId, count, minSize, maxSize, delayMs);
            List<SseClient.Frame> frames = client.awaitData(count + 1, Duration.ofSeconds(60));

            assertEquals(Frames.range(1, count + 1), Frames.sequenceIds(frames));
            List<Long> offsets = run.getList("offsets", Long.class);
            assertEquals(offsets, Frames.offsets(frames));
            List<Integer> sizes = run.getList("sizes", Integer.class);
            for (int i = 0; i < frames.size(); i++) {
                JsonNode event = Frames.json(frames.get(i));
                String epoch = run.getString("epoch");
                assertEquals(epoch + "-" + offsets.get(i), frames.get(i).id(), "cursor of frame " + (i + 1));
                String content = event.at("/data/data/content").isMissingNode() ? null
                        : event.at("/data/data/content").asText();
                if (i < count) {
                    assertEquals(sizes.get(i), content.length(), "content size of sequence id " + (i + 1));
                    assertTrue(content.length() >= minSize, "content shorter than minSize");
                    assertTrue(content.length() <= maxSize, "content longer than maxSize");
                }
            }

            JsonPath report = Runs.report(run.getString("runId"), Frames.arrivals(frames));
            assertEquals(count + 1, report.getInt("expected"));
            assertEquals(count + 1, report.getInt("received"));
            assertEquals(0, report.getInt("missingCount"));
            assertEquals(0, report.getInt("duplicateCount"));
            assertEquals(0, report.getInt("payloadMismatchCount"));
            assertTrue(report.getBoolean("inOrder"));
            assertTrue(report.getBoolean("clean"));
        }
    }

    private URI uri(String channel) {
        return URI.create(realtime + "?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8));
    }
}
