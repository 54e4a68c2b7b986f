package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;


import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.SubscriberTestBase;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Resuming a subscription from a cursor while a run is still emitting. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class ResumeTest extends SubscriberTestBase {

    @Test
    void resumesAfterLastEventId() {
        String channelId = Runs.newChannelId();
        URI uri = URI.create(realtime + "?channel=generate:" + channelId);
        SseClient first = SseClient.open(uri);
        first.awaitReady();
        CompletableFuture<JsonPath> run = Runs.start(channelId, 100, 1, 5000, 5);
        first.awaitData(40, Duration.ofSeconds(30));
        first.close();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(first::ended);
        List<SseClient.Frame> beforeCut = first.data();
        String lastEventId = beforeCut.get(beforeCut.size() - 1).id();

        try (SseClient second = SseClient.open(uri, lastEventId)) {
            int remaining = 101 - beforeCut.size();
            List<SseClient.Frame> afterCut = second.awaitData(remaining, Duration.ofSeconds(30));
            run.join();

            List<Long> all = new ArrayList<>(Frames.sequenceIds(beforeCut));
            all.addAll(Frames.sequenceIds(afterCut));
            assertEquals(Frames.range(1, 101), all);
            assertEquals(Frames.range(beforeCut.size() + 1, 101), Frames.sequenceIds(afterCut));
        }
    }

    @Test
    void sinceMidRunGetsRemainingEvents() {
        String channelId = Runs.newChannelId();
        URI uri = URI.create(realtime + "?channel=generate:" + channelId);
        try (SseClient fromStart = SseClient.open(uri)) {
            fromStart.awaitReady();
            CompletableFuture<JsonPath> run = Runs.start(channelId, 100, 1, 5000, 5);
            fromStart.awaitData(30, Duration.ofSeconds(30));

            try (SseClient midRun = SseClient.open(URI.create(uri + "&since=30"))) {
                List<SseClient.Frame> late = midRun.awaitData(71, Duration.ofSeconds(30));
                List<SseClient.Frame> early = fromStart.awaitData(101, Duration.ofSeconds(30));
                run.join();

                assertEquals(Frames.range(1, 101), Frames.sequenceIds(early));
                assertEquals(Frames.range(31, 101), Frames.sequenceIds(late));
                String epoch = Frames.json(late.get(0)).get("epoch").asText();
                assertEquals(epoch + "-30", midRun.named("ready").get(0).id());
            }
        }
    }
}
