package dev.orderly.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import redis.embedded.RedisServer;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) running as its own process on a free
 * 127.0.0.1 port, as an operator would run it. For integration tests, which Maven runs after packaging.
 */
public final class PackagedApp implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Process process;
    private final Path log;
    private final int port;

    private PackagedApp(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the application against {@code redisHosts}, with the reproduction on and access tokens off, and waits
     * up to 30 seconds until it is ready.
     */
    public static PackagedApp start(String redisHosts) {
        // The integration tests use the reproduction run, which production mode turns off by default, and test
        // delivery rather than access control.
        return start(redisHosts, Map.of("ORDERLY_REPRODUCTION_ENABLED", "true", "ORDERLY_AUTH_ENABLED", "false"));
    }

    /** Starts the application with {@code environment} added and waits up to 30 seconds until it is ready. */
    public static PackagedApp start(String redisHosts, Map<String, String> environment) {
        PackagedApp app = launch(redisHosts, environment);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> app.status("/q/health/ready") == 200);
        return app;
    }

    /** Starts the application with {@code environment} added and returns without waiting for it. */
    public static PackagedApp launch(String redisHosts, Map<String, String> environment) {
        try {
            int port = freePort();
            Path log = Files.createTempFile("orderly-app", ".log");
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            ProcessBuilder builder = new ProcessBuilder(java, "-Dquarkus.http.host=127.0.0.1",
                    "-Dquarkus.http.port=" + port, "-jar", "target/quarkus-app/quarkus-run.jar");
            builder.environment().keySet().removeIf(name -> name.startsWith("ORDERLY_AUTH_"));
            builder.environment().putAll(environment);
            builder.environment().put("QUARKUS_REDIS_HOSTS", redisHosts);
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            return new PackagedApp(builder.start(), log, port);
        } catch (IOException e) {
            throw new UncheckedIOException("the packaged application could not be started", e);
        }
    }

    /** Returns {@code http://127.0.0.1:<port>} followed by {@code path}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Emits one {@code generate.event} content event and returns the HTTP status. */
    public int emit(String channel, long sequenceId) throws IOException, InterruptedException {
        return emit(channel, sequenceId, null);
    }

    /** Emits as {@link #emit(String, long)}, with {@code token} as a Bearer token unless it is null. */
    public int emit(String channel, long sequenceId, String token) throws IOException, InterruptedException {
        String body = "{\"event\":\"generate.event\",\"data\":{\"type\":\"content\",\"data\":{\"messageId\":\"m\","
                + "\"sequenceId\":" + sequenceId + ",\"content\":\"event " + sequenceId + "\"}}}";
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/channels/" + channel + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int status(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Stops the process if it still runs, forcibly after 10 seconds, and deletes its log. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Files.deleteIfExists(log);
    }

    /** Starts an embedded redis-server on a free 127.0.0.1 port that keeps nothing on disk. */
    public static RedisServer startRedis() throws IOException {
        RedisServer redis = RedisServer.newRedisServer()
                .port(freePort())
                .bind("127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        redis.start();
        return redis;
    }

    /** Returns the {@code quarkus.redis.hosts} address of an embedded Redis from {@link #startRedis}. */
    public static String hostsOf(RedisServer redis) {
        return "redis://127.0.0.1:" + redis.ports().get(0);
    }

    /** Returns a free TCP port on 127.0.0.1. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
