package dev.orderly.delivery;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;

/**
 * Ends every open SSE connection when the instance stops (SIGTERM) with an {@code error}
 * frame, reason {@code server-shutdown}, carrying the connection's cursor. Browsers then reconnect, through the
 * load balancer, to another instance and resume there without loss, instead of seeing the connection drop.
 */
@ApplicationScoped
public class GracefulShutdown {

    /** Upper bound on the wait for the final frames to be written, so a stalled client cannot delay shutdown. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);

    private final SubscriptionRegistry registry;

    @Inject
    public GracefulShutdown(SubscriptionRegistry registry) {
        this.registry = registry;
    }

    // Fired at the start of Quarkus's shutdown delay, while the HTTP server still writes responses. The
    // ShutdownEvent comes only after the server has closed every connection, too late for a final frame.
    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        int open = registry.size();
        if (open == 0) {
            return;
        }
        Log.infof("Closing %d SSE connections for shutdown", open);
        registry.closeAll("server-shutdown", "The server is shutting down; reconnect to resume with the cursor");
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        // This observer runs on the main thread, never an event loop, so a short polling wait is safe here.
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (registry.size() > 0) {
            Log.infof("%d SSE connections had not drained their final frame when shutdown continued",
                    registry.size());
        }
    }
}
