package dev.orderly.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import redis.embedded.RedisServer;

/**
 * Gives tests a real Redis: the one named by {@code QUARKUS_REDIS_HOSTS} (or the system property
 * {@code quarkus.redis.hosts}) when set, otherwise an embedded redis-server on a free 127.0.0.1 port.
 *
 * <p>The embedded server writes every command to an append-only file in a new temporary directory and fsyncs it
 * after every write ({@code appendfsync always}), so a test can stop and restart it with {@link #stopRedis} and
 * {@link #startRedis} and find every acknowledged write again. It takes no RDB snapshots, and the directory is
 * deleted when the resource stops.
 */
public class EmbeddedRedisResource implements QuarkusTestResourceLifecycleManager {

    // Static, so a test can reach the server that the resource of the running application started.
    private static RedisServer server;
    private static Path dataDirectory;
    private static int serverPort;

    @Override
    public Map<String, String> start() {
        String configured = System.getProperty("quarkus.redis.hosts", System.getenv("QUARKUS_REDIS_HOSTS"));
        if (configured != null && !configured.isBlank()) {
            return Map.of("quarkus.redis.hosts", configured);
        }
        int port = freePort();
        startEmbedded(port);
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        stopEmbedded();
    }

    /** Returns whether this resource started an embedded Redis, which a test may stop and restart. */
    public static synchronized boolean isEmbedded() {
        return server != null;
    }

    /**
     * Stops the embedded Redis as a shutdown would (SIGTERM), keeping its data directory, so clients get
     * connection errors until {@link #startRedis} is called.
     *
     * @throws IllegalStateException when the tests use an external Redis
     */
    public static synchronized void stopRedis() {
        requireEmbedded();
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis on 127.0.0.1:" + serverPort + " could not stop", e);
        }
    }

    /**
     * Starts the embedded Redis again on the same port and data directory, where it reloads its append-only
     * file. Returns once it accepts connections, and does nothing when it is already running.
     *
     * @throws IllegalStateException when the tests use an external Redis
     */
    public static synchronized void startRedis() {
        requireEmbedded();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis could not start again on 127.0.0.1:" + serverPort, e);
        }
    }

    private static synchronized void startEmbedded(int port) {
        Path directory;
        try {
            directory = Files.createTempDirectory("orderly-test-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("No temporary directory for the embedded Redis's data", e);
        }
        try {
            RedisServer created = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly yes")
                    .setting("appendfsync always")
                    .setting("dir \"" + directory.toAbsolutePath() + "\"")
                    .build();
            created.start();
            server = created;
            dataDirectory = directory;
            serverPort = port;
        } catch (IOException e) {
            deleteRecursively(directory);
            throw new UncheckedIOException("Embedded Redis could not start on 127.0.0.1:" + port, e);
        }
    }

    private static synchronized void stopEmbedded() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis on 127.0.0.1:" + serverPort + " could not stop", e);
        } finally {
            deleteRecursively(dataDirectory);
            server = null;
            dataDirectory = null;
        }
    }

    private static void requireEmbedded() {
        if (server == null) {
            throw new IllegalStateException("No embedded Redis to stop or start: the tests use the Redis in "
                    + "QUARKUS_REDIS_HOSTS, or the resource has not started; check isEmbedded() first");
        }
    }

    private static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis data directory " + directory + " could not be deleted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1 for embedded Redis", e);
        }
    }
}
