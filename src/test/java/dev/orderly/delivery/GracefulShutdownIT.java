package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.support.Frames;
import dev.orderly.support.PackagedApp;
import dev.orderly.support.SseClient;
import redis.embedded.RedisServer;

/**
 * Stopping the packaged application with SIGTERM ends each open SSE connection with a final {@code error} frame
 * that carries its cursor. Runs after packaging, against the real jar and an embedded Redis.
 */
class GracefulShutdownIT {

    private RedisServer redis;
    private PackagedApp app;

    @BeforeEach
    void startApplication() throws IOException {
        redis = PackagedApp.startRedis();
        app = PackagedApp.start(PackagedApp.hostsOf(redis));
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void sigtermSendsFinalFrameWithCursor() throws Exception {
        String channel = "shutdown:" + System.nanoTime();
        try (SseClient client = SseClient.open(app.uri("/api/realtime?channel=" + channel))) {
            client.awaitReady();
            for (int i = 1; i <= 3; i++) {
                assertEquals(200, app.emit(channel, i));
            }
            List<SseClient.Frame> data = client.awaitData(3, Duration.ofSeconds(10));

            app.process().destroy();
            assertTrue(app.process().waitFor(30, TimeUnit.SECONDS), "the application stops after SIGTERM");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(client::ended);

            List<SseClient.Frame> errors = client.named("error");
            assertEquals(1, errors.size(), "final frames: " + client.frames() + "; log:\n" + app.log());
            JsonNode error = Frames.json(errors.get(0));
            assertEquals("server-shutdown", error.get("reason").asText());
            assertEquals(data.get(2).id(), error.get("cursor").asText());
        }
    }
}
