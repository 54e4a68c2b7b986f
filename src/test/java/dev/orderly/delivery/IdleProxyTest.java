package dev.orderly.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.IdleCuttingProxy;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Heartbeats keep a quiet SSE connection open through a proxy that closes idle connections. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class IdleProxyTest extends SubscriberTestBase {

    /** The proxy's idle timeout, far above the test profile's heartbeat interval of one second. */
    private static final Duration PROXY_IDLE_TIMEOUT = Duration.ofSeconds(45);
    /** Longer than the proxy's idle timeout, so only heartbeats can keep the connection open. */
    private static final Duration IDLE_PERIOD = Duration.ofSeconds(60);

    @Test
    void heartbeatsKeepConnectionThroughIdleProxy() {
        String channel = "idle-proxy:" + Runs.newChannelId();
        String query = "/api/realtime?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8);

        try (IdleCuttingProxy proxy = IdleCuttingProxy.start(realtime.getPort(), PROXY_IDLE_TIMEOUT);
                SseClient client = SseClient.open(proxy.uri(query))) {
            client.awaitReady();
            Runs.emitContent(channel, 1, "before the idle period");
            client.awaitData(1, Duration.ofSeconds(10));
            int commentsBefore = client.comments().size();

            // Nothing is emitted during the idle period, and the connection must stay open throughout it.
            Awaitility.await("connection open through the idle period")
                    .during(IDLE_PERIOD)
                    .atMost(IDLE_PERIOD.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !client.ended());
            Runs.emitContent(channel, 2, "after the idle period");
            List<SseClient.Frame> data = client.awaitData(2, Duration.ofSeconds(10));

            assertFalse(client.ended(), "the connection was closed");
            assertEquals(List.of(1L, 2L), Frames.sequenceIds(data));
            assertEquals(2, client.data().size());
            int heartbeats = client.comments().size() - commentsBefore;
            assertTrue(heartbeats >= 45, "heartbeats during the idle period: " + heartbeats);
            assertEquals(1, proxy.acceptedConnections(), "connections through the proxy");
            assertEquals(0, proxy.idleCuts(), "connections the proxy closed as idle");
        }
    }

    @Test
    void idleProxyCutsSilentConnection() throws IOException {
        try (IdleCuttingProxy proxy = IdleCuttingProxy.start(realtime.getPort(), Duration.ofSeconds(1));
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> proxy.idleCuts() == 1);
            InputStream in = socket.getInputStream();

            assertEquals(-1, in.read(), "the proxy closed the connection");
            assertEquals(1, proxy.acceptedConnections());
            assertEquals(1, proxy.idleCuts());
        }
    }
}
