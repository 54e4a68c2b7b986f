package dev.orderly.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import redis.embedded.RedisServer;

/**
 * Gives tests a real Redis: the one named by {@code QUARKUS_REDIS_HOSTS} (or the system property
 * {@code quarkus.redis.hosts}) when set, otherwise an embedded redis-server on a free 127.0.0.1 port that keeps
 * nothing on disk.
 */
public class EmbeddedRedisResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;

    @Override
    public Map<String, String> start() {
        String configured = System.getProperty("quarkus.redis.hosts", System.getenv("QUARKUS_REDIS_HOSTS"));
        if (configured != null && !configured.isBlank()) {
            return Map.of("quarkus.redis.hosts", configured);
        }
        int port = freePort();
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis could not start on 127.0.0.1:" + port, e);
        }
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded Redis could not stop", e);
            }
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
