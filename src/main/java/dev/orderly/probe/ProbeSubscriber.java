package dev.orderly.probe;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.ws.rs.ServiceUnavailableException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.orderly.error.RedisUnavailableException;
import dev.orderly.report.Arrival;
import dev.orderly.testrun.PayloadHash;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

/**
 * A probe's SSE client: one HTTP/1.1 connection to this instance's {@code GET /api/realtime} over 127.0.0.1,
 * opened with its own Vert.x {@link HttpClient}. It parses the frames itself and records each data frame as an
 * {@link Arrival} with its latency, the way the test page does in the browser.
 *
 * <p>Guarantees: nothing here blocks, because every callback runs on the client's event loop and only parses.
 * {@link #close} closes the connection, so the server releases the subscription (hub listener and Redis pub/sub
 * channel) as it does for any client that goes away. It is idempotent and safe from any thread. {@link #ready}
 * fails when the stream ends or sends {@code error} before {@code ready}, and {@link #finished} completes when the
 * {@code complete} event arrives or the stream ends, so a caller waiting on either is never left hanging by a
 * closed stream.
 */
final class ProbeSubscriber {

    /** Named frames kept for the result; more are counted in the last notice. */
    static final int MAX_NOTICES = 100;

    /** Maximum SSE line or frame data, with room for a 100,000-character payload in UTF-8 and its JSON envelope. */
    private static final int MAX_FRAME_BYTES = 1 << 20;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final String LOOPBACK = "127.0.0.1";

    /** The reason {@link #finished} completed. */
    enum Ending {
        /** The {@code complete} event of the run arrived. */
        COMPLETE,
        /** The stream ended, failed or was closed before the {@code complete} event. */
        STREAM_ENDED
    }

    /** One data frame as received: what the report needs, and the delivery latency in milliseconds. */
    record Received(Arrival arrival, long latencyMillis) {
    }

    private final String channel;
    private final long completeSequenceId;
    private final int maxArrivals;
    private final ObjectMapper mapper;
    private final HttpClient client;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Ending> finished = new CompletableFuture<>();

    // Guarded by this.
    private final List<Received> received = new ArrayList<>();
    private final List<ProbeResult.Notice> notices = new ArrayList<>();
    private int droppedNotices;
    private boolean closed;

    private ProbeSubscriber(Vertx vertx, String channel, long completeSequenceId, int maxArrivals,
            ObjectMapper mapper) {
        this.channel = channel;
        this.completeSequenceId = completeSequenceId;
        this.maxArrivals = maxArrivals;
        this.mapper = mapper;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(false)
                .setMaxPoolSize(1)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS));
    }

    /**
     * Opens the subscription to {@code channel} at {@code 127.0.0.1:port}.
     *
     * @param subscribePath path and query of the subscription, such as {@code /api/realtime?channel=generate:x}
     * @param token access token sent as {@code Authorization: Bearer}, or null to send none
     * @param completeSequenceId sequence id of the run's {@code complete} event
     * @param maxArrivals data frames kept at most; the stream is closed after more arrive
     */
    static ProbeSubscriber open(Vertx vertx, int port, String subscribePath, String token, String channel,
            long completeSequenceId, int maxArrivals, ObjectMapper mapper) {
        ProbeSubscriber subscriber = new ProbeSubscriber(vertx, channel, completeSequenceId, maxArrivals, mapper);
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(LOOPBACK)
                .setPort(port)
                .setURI(subscribePath)
                .putHeader(HttpHeaders.ACCEPT, "text/event-stream");
        if (token != null) {
            request.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        subscriber.client.request(request)
                .compose(HttpClientRequest::send)
                .onSuccess(subscriber::receive)
                .onFailure(failure -> subscriber.streamEnded("connecting to " + URI.create("http://" + LOOPBACK
                        + ":" + port + subscribePath) + " failed: " + failure.getMessage()));
        return subscriber;
    }

    /** Completes when the server has sent {@code ready}; fails when the subscription ended or failed before. */
    Uni<Void> ready() {
        return Uni.createFrom().completionStage(ready::copy);
    }

    /** Completes when the {@code complete} event arrived or the stream ended; never fails. */
    Uni<Ending> finished() {
        return Uni.createFrom().completionStage(finished::copy);
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    synchronized List<ProbeResult.Notice> notices() {
        List<ProbeResult.Notice> all = new ArrayList<>(notices);
        if (droppedNotices > 0) {
            all.add(new ProbeResult.Notice("dropped", "{\"count\":" + droppedNotices + "}"));
        }
        return all;
    }

    /** Closes the connection; the data frames received so far stay available. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        finished.complete(Ending.STREAM_ENDED);
        ready.completeExceptionally(new ServiceUnavailableException("The probe's subscription to " + channel
                + " was closed before it was ready"));
        client.close().onFailure(failure -> Log.debugf("Closing the probe's HTTP client for channel %s failed: %s",
                channel, failure.getMessage()));
    }

    private void receive(HttpClientResponse response) {
        if (response.statusCode() != 200) {
            response.body().onComplete(body -> streamEnded("GET /api/realtime returned HTTP " + response.statusCode()
                    + (body.succeeded() ? ": " + abbreviate(body.result()) : "")));
            return;
        }
        SseParser parser = new SseParser(MAX_FRAME_BYTES, this::onFrame);
        response.handler(chunk -> feed(parser, chunk));
        response.endHandler(ignored -> streamEnded("the server ended the stream"));
        response.exceptionHandler(failure -> streamEnded("the stream failed: " + failure.getMessage()));
    }

    private void feed(SseParser parser, Buffer chunk) {
        try {
            parser.feed(chunk.getBytes());
        } catch (SseParser.FrameTooLargeException e) {
            streamEnded(e.getMessage());
            close();
        }
    }

    private void onFrame(SseParser.Frame frame) {
        long receivedAt = System.currentTimeMillis();
        if (frame.event() == null) {
            onData(frame, receivedAt);
        } else if ("ready".equals(frame.event())) {
            ready.complete(null);
        } else {
            addNotice(frame.event(), frame.data());
            if ("error".equals(frame.event()) && !ready.isDone()) {
                ready.completeExceptionally(errorBeforeReady(frame.data()));
            }
        }
    }

    private void onData(SseParser.Frame frame, long receivedAt) {
        JsonNode json;
        try {
            json = mapper.readTree(frame.data());
        } catch (JsonProcessingException e) {
            addNotice("unreadable", "{\"id\":" + quote(frame.id()) + ",\"message\":\"data is not valid JSON\"}");
            return;
        }
        if (!json.at("/data/data/sequenceId").isIntegralNumber()) {
            addNotice("unreadable", "{\"id\":" + quote(frame.id()) + ",\"message\":\"data has no sequence id\"}");
            return;
        }

        Arrival arrival = toArrival(json);
        boolean full;
        synchronized (this) {
            if (closed) {
                return;
            }
            received.add(new Received(arrival, receivedAt - json.path("emittedAt").asLong()));
            full = received.size() >= maxArrivals;
        }

        if ("complete".equals(arrival.type()) && arrival.sequenceId() == completeSequenceId) {
            finished.complete(Ending.COMPLETE);
        } else if (full) {
            streamEnded(maxArrivals + " data frames arrived, the maximum a probe keeps");
            close();
        }
    }

    /** Builds the arrival of a data frame as the test page does: content length and checksum, "" when absent. */
    private static Arrival toArrival(JsonNode json) {
        JsonNode event = json.path("data");
        JsonNode content = event.at("/data/content");
        String text = content.isTextual() ? content.asText() : null;
        return new Arrival(event.at("/data/sequenceId").asLong(), event.path("type").asText(),
                text == null ? 0 : text.length(), PayloadHash.of(text));
    }

    private synchronized void addNotice(String event, String data) {
        if (notices.size() < MAX_NOTICES) {
            notices.add(new ProbeResult.Notice(event, data));
        } else {
            droppedNotices++;
        }
    }

    private RuntimeException errorBeforeReady(String data) {
        String reason = null;
        String message = data;
        try {
            JsonNode error = mapper.readTree(data);
            reason = error.path("reason").asText(null);
            message = error.path("message").asText(data);
        } catch (JsonProcessingException e) {
            // The raw data is the most useful message then.
        }
        if ("redis-unavailable".equals(reason)) {
            return new RedisUnavailableException("Subscribing the probe to " + channel,
                    new IllegalStateException(message));
        }
        return new ServiceUnavailableException("The probe's subscription to " + channel + " failed before it was "
                + "ready: " + reason + ": " + message);
    }

    private void streamEnded(String reason) {
        boolean byUs;
        synchronized (this) {
            byUs = closed;
        }
        if (byUs) {
            return;
        }
        Log.debugf("The probe's stream for channel %s ended: %s", channel, reason);
        if (!ready.isDone()) {
            ready.completeExceptionally(new ServiceUnavailableException("The probe's subscription to " + channel
                    + " ended before it was ready: " + reason));
        } else if (!finished.isDone()) {
            addNotice("stream-ended", "{\"message\":" + quote(reason) + "}");
        }
        finished.complete(Ending.STREAM_ENDED);
    }

    private String quote(String text) {
        try {
            return mapper.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string could not be written as JSON", e);
        }
    }

    private static String abbreviate(Buffer body) {
        String text = body.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
