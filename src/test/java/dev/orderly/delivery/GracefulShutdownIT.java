package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.orderly.support.Frames;
import dev.orderly.support.SseClient;
import redis.embedded.RedisServer;

/**
 * Stopping the packaged application with SIGTERM ends each open SSE connection with a final {@code error} frame
 * that carries its cursor. Runs after packaging, against the real jar and an embedded Redis.
 */
class GracefulShutdownIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RedisServer redis;
    private Process app;
    private Path log;
    private int port;

    @BeforeEach
    void startApplication() throws IOException {
        int redisPort = freePort();
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        redis.start();
        port = freePort();
        log = Files.createTempFile("orderly-shutdown", ".log");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(java, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-jar", "target/quarkus-app/quarkus-run.jar");
        builder.environment().put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + redisPort);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        app = builder.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> get("/q/health/ready") == 200);
    }

    @AfterEach
    void stopEverything() throws IOException, InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.stop();
        }
        Files.deleteIfExists(log);
    }

    @Test
    void sigtermSendsFinalFrameWithCursor() throws Exception {
        String channel = "shutdown:" + System.nanoTime();
        try (SseClient client = SseClient.open(URI.create(base() + "/api/realtime?channel=" + channel))) {
            client.awaitReady();
            for (int i = 1; i <= 3; i++) {
                emit(channel, i);
            }
            List<SseClient.Frame> data = client.awaitData(3, Duration.ofSeconds(10));

            app.destroy();
            assertTrue(app.waitFor(30, TimeUnit.SECONDS), "the application stops after SIGTERM");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(client::ended);

            List<SseClient.Frame> errors = client.named("error");
            assertEquals(1, errors.size(), "final frames: " + client.frames() + "; log:\n" + Files.readString(log));
            JsonNode error = Frames.json(errors.get(0));
            assertEquals("server-shutdown", error.get("reason").asText());
            assertEquals(data.get(2).id(), error.get("cursor").asText());
        }
    }

    private void emit(String channel, int sequenceId) throws Exception {
        String body = "{\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\"m\","
                + "\"sequenceId\":" + sequenceId + ",\"content\":\"event " + sequenceId + "\"}}}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/api/channels/" + channel + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        assertEquals(200, HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    private int get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
