package dev.orderly.config;

import java.io.IOException;
import java.io.UncheckedIOException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import redis.embedded.RedisServer;

/**
 * Starts a real embedded redis-server on 127.0.0.1 in dev mode when {@code QUARKUS_REDIS_HOSTS} is not set, so
 * {@code quarkus:dev} works on a machine without Redis or Docker. It keeps nothing on disk, and live reload
 * restarts it, which clears its data. The class exists only in dev builds' bean set; the embedded-redis library
 * is not packaged into the production application.
 */
@IfBuildProfile("dev")
@ApplicationScoped
class DevRedis {

    private RedisServer server;

    // Priority 1 runs this before other startup observers; the Redis client connects only on first use.
    void start(@Observes @Priority(1) StartupEvent event,
            @ConfigProperty(name = "quarkus.redis.hosts") String hosts,
            OrderlyConfig config) {
        int port = config.dev().embeddedRedisPort();
        if (!hosts.equals("redis://127.0.0.1:" + port)) {
            Log.infof("Dev mode uses the Redis at %s", hosts);
            return;
        }
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            Log.infof("Dev mode started an embedded Redis at %s; set QUARKUS_REDIS_HOSTS to use another one", hosts);
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded Redis could not start on 127.0.0.1:" + port
                    + "; free the port, set orderly.dev.embedded-redis-port, or set QUARKUS_REDIS_HOSTS", e);
        }
    }

    void stop(@Observes ShutdownEvent event) throws IOException {
        if (server != null) {
            server.stop();
        }
    }
}
