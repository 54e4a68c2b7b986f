package dev.orderly.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.error.RedisUnavailableException;
import dev.orderly.report.Arrival;
import dev.orderly.testrun.PayloadHash;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@link ProbeSubscriber} against a scripted SSE server on 127.0.0.1: what it records, and how {@code ready} and
 * {@code finished} end when the stream fails or ends early.
 */
class ProbeSubscriberTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CHANNEL = "generate:scripted";

    private Vertx vertx;
    private HttpServer server;
    private volatile Consumer<HttpServerResponse> script;
    private final CompletableFuture<Void> connectionClosed = new CompletableFuture<>();

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(request -> {
                    request.connection().closeHandler(ignored -> connectionClosed.complete(null));
                    HttpServerResponse response = request.response()
                            .setChunked(true)
                            .putHeader("Content-Type", "text/event-stream");
                    script.accept(response);
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void recordsEveryDataFrame() {
        long emittedAt = System.currentTimeMillis();
        script = response -> {
            response.write("id:0-0\r\nevent:ready\r\nretry:1000\r\ndata:{\"cursor\":\"0-0\"}\r\n\r\n: ping\r\n\r\n");
            response.write(dataFrame(1, "content", "héllo", emittedAt).substring(0, 20));
            response.write(dataFrame(1, "content", "héllo", emittedAt).substring(20));
            response.write(dataFrame(2, "complete", null, emittedAt));
        };
        ProbeSubscriber subscriber = open(2);

        subscriber.ready().await().atMost(WAIT);
        ProbeSubscriber.Ending ending = subscriber.finished().await().atMost(WAIT);
        subscriber.close();

        assertEquals(ProbeSubscriber.Ending.COMPLETE, ending);
        List<ProbeSubscriber.Received> received = subscriber.received();
        assertEquals(List.of(
                new Arrival(1L, "content", 5, PayloadHash.of("héllo")),
                new Arrival(2L, "complete", 0, PayloadHash.of(null))),
                received.stream().map(ProbeSubscriber.Received::arrival).toList());
        for (ProbeSubscriber.Received one : received) {
            assertTrue(one.latencyMillis() >= 0, "latency " + one.latencyMillis());
        }
        assertEquals(List.of(), subscriber.notices());
    }

    @Test
    void errorBeforeReadyFailsReady() {
        script = response -> response.end("event:error\ndata:{\"reason\":\"redis-unavailable\","
                + "\"message\":\"Subscribing in Redis failed; retry later\",\"cursor\":null}\n\n");
        ProbeSubscriber subscriber = open(2);

        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> subscriber.ready().await().atMost(WAIT));
        subscriber.close();

        assertInstanceOf(RedisUnavailableException.class, failure);
        assertEquals("error", subscriber.notices().get(0).event());
    }

    @Test
    void endBeforeCompleteEndsFinished() {
        long emittedAt = System.currentTimeMillis();
        script = response -> {
            response.write("event:ready\ndata:{}\n\n");
            response.write("event:gap\ndata:{\"fromOffset\":1,\"toOffset\":1}\n\n");
            response.end(dataFrame(2, "content", "x", emittedAt));
        };
        ProbeSubscriber subscriber = open(3);

        subscriber.ready().await().atMost(WAIT);
        ProbeSubscriber.Ending ending = subscriber.finished().await().atMost(WAIT);
        subscriber.close();

        assertEquals(ProbeSubscriber.Ending.STREAM_ENDED, ending);
        assertEquals(1, subscriber.received().size());
        List<String> events = subscriber.notices().stream().map(ProbeResult.Notice::event).toList();
        assertEquals(List.of("gap", "stream-ended"), events);
    }

    @Test
    void closeClosesConnection() throws Exception {
        script = response -> response.write("event:ready\ndata:{}\n\n");
        ProbeSubscriber subscriber = open(2);
        subscriber.ready().await().atMost(WAIT);

        subscriber.close();

        connectionClosed.get(10, TimeUnit.SECONDS);
        assertEquals(ProbeSubscriber.Ending.STREAM_ENDED, subscriber.finished().await().atMost(WAIT));
    }

    @Test
    void unreadableFrameBecomesNotice() {
        script = response -> response.write("event:ready\ndata:{}\n\ndata:not json\n\ndata:{\"data\":{}}\n\n");
        ProbeSubscriber subscriber = open(2);
        subscriber.ready().await().atMost(WAIT);

        Awaitility.await().atMost(WAIT).until(() -> subscriber.notices().size() == 2);
        subscriber.close();

        assertEquals(List.of("unreadable", "unreadable"),
                subscriber.notices().stream().map(ProbeResult.Notice::event).toList());
        assertEquals(List.of(), subscriber.received());
    }

    private ProbeSubscriber open(long completeSequenceId) {
        return ProbeSubscriber.open(vertx, server.actualPort(), "/api/realtime?channel=" + CHANNEL, null, CHANNEL,
                completeSequenceId, 10, new ObjectMapper());
    }

    private static String dataFrame(long sequenceId, String type, String content, long emittedAt) {
        String body = "{\"messageId\":\"m\",\"sequenceId\":" + sequenceId
                + (content == null ? "" : ",\"content\":\"" + content + "\"") + "}";
        return "id:e-" + sequenceId + "\ndata:{\"channel\":\"" + CHANNEL + "\",\"epoch\":\"e\",\"offset\":"
                + sequenceId + ",\"event\":\"generate.event\",\"data\":{\"type\":\"" + type + "\",\"data\":" + body
                + "},\"emittedAt\":" + emittedAt + "}\n\n";
    }
}
