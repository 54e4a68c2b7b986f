package dev.orderly.config;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness: DOWN with the variable to set when no Redis address is configured, DOWN when Redis does not reply to
 * {@code PING} within 2 seconds, UP otherwise.
 */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements AsyncHealthCheck {

    private static final String NAME = "Redis";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Placeholder address that application.properties sets in production when QUARKUS_REDIS_HOSTS is missing. */
    private static final String UNCONFIGURED = "redis://127.0.0.1:1";

    private final ReactiveRedisDataSource redis;
    private final Optional<String> hosts;

    @Inject
    public RedisReadinessCheck(ReactiveRedisDataSource redis,
            @ConfigProperty(name = "quarkus.redis.hosts") Optional<String> hosts) {
        this.redis = redis;
        this.hosts = hosts;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (hosts.isEmpty() || hosts.get().equals(UNCONFIGURED)) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).down()
                    .withData("error", "Redis is not configured: set QUARKUS_REDIS_HOSTS (quarkus.redis.hosts), "
                            + "for example redis://127.0.0.1:6379")
                    .build());
        }
        return redis.execute("PING")
                .ifNoItem().after(TIMEOUT).fail()
                .map(pong -> HealthCheckResponse.named(NAME).up().withData("hosts", hosts.get()).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("hosts", hosts.get())
                        .withData("error", "Redis did not reply to PING: " + failure.getMessage()
                                + "; check that Redis runs at QUARKUS_REDIS_HOSTS")
                        .build());
    }
}
