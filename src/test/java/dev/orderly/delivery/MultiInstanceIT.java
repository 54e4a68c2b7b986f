package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.orderly.support.Frames;
import dev.orderly.support.PackagedApp;
import dev.orderly.support.SseClient;
import redis.embedded.RedisServer;

/**
 * Two instances of the packaged application on one Redis: any instance serves any subscriber and accepts any
 * emit, and a cursor from one instance resumes on the other.
 */
class MultiInstanceIT {

    private static final int EVENTS = 100;

    private RedisServer redis;
    private PackagedApp first;
    private PackagedApp second;

    @BeforeEach
    void startInstances() throws IOException {
        redis = PackagedApp.startRedis();
        first = PackagedApp.start(PackagedApp.hostsOf(redis));
        second = PackagedApp.start(PackagedApp.hostsOf(redis));
    }

    @AfterEach
    void stopInstances() throws Exception {
        for (PackagedApp app : new PackagedApp[] { first, second }) {
            if (app != null) {
                app.close();
            }
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void subscribersOnBothInstancesGetEveryEvent() throws Exception {
        String channel = "instances:" + System.nanoTime();
        List<SseClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                PackagedApp app = i % 2 == 0 ? first : second;
                clients.add(SseClient.openCompact(app.uri("/api/realtime?channel=" + channel)));
            }
            clients.forEach(SseClient::awaitReady);
            for (int i = 1; i <= EVENTS; i++) {
                assertEquals(200, first.emit(channel, i));
            }

            for (int i = 0; i < clients.size(); i++) {
                List<SseClient.CompactFrame> frames = clients.get(i).awaitCompactData(EVENTS, Duration.ofSeconds(30));
                List<Long> offsets = frames.stream().map(SseClient.CompactFrame::offset).toList();
                assertEquals(Frames.range(1, EVENTS), offsets, "subscriber " + i + " on instance " + (i % 2 + 1));
            }
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    @Test
    void cursorFromOneInstanceResumesOnOther() throws Exception {
        String channel = "moving:" + System.nanoTime();
        List<Long> received = new ArrayList<>();
        String cursor;
        try (SseClient onFirst = SseClient.open(first.uri("/api/realtime?channel=" + channel))) {
            onFirst.awaitReady();
            for (int i = 1; i <= 30; i++) {
                assertEquals(200, second.emit(channel, i));
            }
            List<SseClient.Frame> frames = onFirst.awaitData(30, Duration.ofSeconds(10));
            received.addAll(Frames.offsets(frames));
            cursor = frames.get(frames.size() - 1).id();
        }
        for (int i = 31; i <= EVENTS; i++) {
            assertEquals(200, first.emit(channel, i));
        }

        try (SseClient onSecond = SseClient.open(second.uri("/api/realtime?channel=" + channel), cursor)) {
            received.addAll(Frames.offsets(onSecond.awaitData(EVENTS - 30, Duration.ofSeconds(10))));

            assertEquals(Frames.range(1, EVENTS), received);
            assertEquals(List.of(), onSecond.named("gap"));
            assertEquals(List.of(), onSecond.named("reset"));
        }
    }
}
