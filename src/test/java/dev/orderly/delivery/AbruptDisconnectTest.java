package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Released;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Many clients that vanish at once, without reading to the end, leave no connection, hub listener, Redis
 * subscription or thread behind. {@link SseClient#close} closes the response stream, and the JDK 17
 * {@code HttpClient} then closes the socket with a FIN, not a reset (observed on OpenJDK 17.0.15).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class AbruptDisconnectTest extends SubscriberTestBase {

    private static final int CHANNELS = 20;
    private static final int CLIENTS_PER_CHANNEL = 10;
    private static final int CLIENTS = CHANNELS * CLIENTS_PER_CHANNEL;
    /**
     * Service threads allowed beyond the baseline once the clients are gone, which leaves room for a Quarkus worker
     * thread started on demand or a JVM thread such as "Attach Listener". A thread kept per connection or per
     * channel exceeds it by far.
     */
    private static final int THREAD_TOLERANCE = 2;

    @Test
    void killedClientsReleaseEverything() {
        // A first wave starts the threads that Vert.x creates lazily (event loops), so the baseline has them.
        openThenCloseAtOnce();
        List<String> baseline = serviceThreads();

        openThenCloseAtOnce();

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    List<String> after = serviceThreads();
                    assertTrue(after.size() <= baseline.size() + THREAD_TOLERANCE,
                            "service threads: baseline " + baseline + ", after " + after);
                });
    }

    /**
     * Opens {@link #CLIENTS} subscriptions on {@link #CHANNELS} channels, closes every client in one loop and
     * checks that the service released them all within 30 seconds.
     */
    private void openThenCloseAtOnce() {
        List<SseClient> clients = new ArrayList<>(CLIENTS);
        try {
            for (int c = 0; c < CHANNELS; c++) {
                URI uri = subscribeUri("abrupt:" + Runs.newChannelId());
                for (int i = 0; i < CLIENTS_PER_CHANNEL; i++) {
                    clients.add(SseClient.open(uri));
                }
            }
            clients.forEach(SseClient::awaitReady);

            assertEquals(CLIENTS, registry.size(), "open SSE connections");
            assertEquals(CLIENTS, hub.listenerCount(), "hub listeners");
            assertEquals(CHANNELS, Released.liveChannels(redis).size(), "Redis pub/sub channels");

            clients.forEach(SseClient::close);

            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> {
                        assertEquals(0, registry.size(), "open SSE connections");
                        assertEquals(0, hub.listenerCount(), "hub listeners");
                        assertEquals(0, hub.channelCount(), "hub channels");
                        assertEquals(List.of(), Released.liveChannels(redis), "Redis pub/sub channels");
                    });
        } finally {
            clients.forEach(SseClient::close);
        }
    }

    /**
     * Returns the names of this JVM's threads that belong to the service or the JVM, sorted. The application runs
     * in the test JVM, so threads of the test's own clients are left out: SseClient readers ("sse-client …"), the
     * selector and worker threads of SseClient's shared JDK HttpClient ("HttpClient-…"), Awaitility's polling
     * thread and JUnit's timeout threads.
     */
    private static List<String> serviceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> !name.startsWith("sse-client")
                        && !name.startsWith("HttpClient-")
                        && !name.startsWith("awaitility")
                        && !name.startsWith("junit"))
                .sorted()
                .toList();
    }
}
