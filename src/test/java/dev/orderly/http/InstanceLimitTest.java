package dev.orderly.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Released;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The limit of SSE connections per instance. */
@QuarkusTest
@TestProfile(InstanceLimitProfile.class)
@QuarkusTestResource(EmbeddedRedisResource.class)
class InstanceLimitTest extends SubscriberTestBase {

    @Inject
    MeterRegistry meters;

    @Test
    void thirdConnectionOnInstanceGets429() {
        String third = "limits-instance-" + UUID.randomUUID();
        double before = Limits.rejected(meters, "connections");

        try (SseClient first = SseClient.open(subscribeUri("limits-instance-" + UUID.randomUUID()));
                SseClient second = SseClient.open(subscribeUri("limits-instance-" + UUID.randomUUID()))) {
            first.awaitReady();
            second.awaitReady();

            Limits.Rejection rejection = Limits.rejectedSubscription(subscribeUri(third));

            assertEquals(429, rejection.status());
            assertEquals("5", rejection.retryAfter());
            assertEquals("limit-exceeded", rejection.body().getString("type"));
            assertEquals("connections", rejection.body().getString("field"));
            assertEquals("2", rejection.body().getString("value"));
            assertEquals("this instance has 2 open SSE connections, the maximum (orderly.delivery.max-connections); "
                    + "retry later or connect to another instance", rejection.body().getString("detail"));
            assertEquals(before + 1, Limits.rejected(meters, "connections"));
            assertEquals(0L, Released.subscribers(redis, "orderly:{" + third + "}:live"));
        }

        Released.assertAllReleased(redis, registry, hub);
        assertEquals(0, registry.admittedCount());
        try (SseClient again = SseClient.open(subscribeUri(third))) {
            again.awaitReady();
        }
    }
}
