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
        if (RedisHosts.isUnconfigured(hosts)) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).down()
                    .withData("error", "Redis is not configured: " + RedisHosts.HOW_TO_CONFIGURE)
                    .build());
        }
        // Health data is often public, so a password in the address must not appear there.
        String redactedHosts = RedisHosts.redact(hosts.get());
        return redis.execute("PING")
                .ifNoItem().after(TIMEOUT).fail()
                .map(pong -> HealthCheckResponse.named(NAME).up().withData("hosts", redactedHosts).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("hosts", redactedHosts)
                        .withData("error", "Redis did not reply to PING: " + failure.getMessage()
                                + "; check that Redis runs at QUARKUS_REDIS_HOSTS")
                        .build());
    }
}
