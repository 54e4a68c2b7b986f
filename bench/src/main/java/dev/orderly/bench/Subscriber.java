package dev.orderly.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One SSE connection to {@code GET /api/realtime} for one channel, with its delivery check and latencies. The
 * check and counters survive a reconnect, so a resumed stream is checked as one. Frame handlers run on the
 * connection's event loop, and other threads read the results through the synchronized getters.
 */
final class Subscriber {

    private final HttpClient client;
    private final String authorization;
    private final Target target;
    private final String channel;
    private final Predicate<String> contentCheck;

    private final DeliveryCheck check = new DeliveryCheck();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final List<String> notices = new ArrayList<>();
    private Promise<Void> ready;
    private HttpClientRequest request;
    private String lastEventId;
    private long gaps;
    private long resets;
    private long errors;
    private long malformed;
    private long corrupt;
    private long unexpectedEnds;
    private boolean cutting;
    /** Counts connections, so handlers of a connection already cut ignore what still arrives on it. */
    private int generation;
    private long catchUpOffset;
    private volatile long caughtUpAt;

    /**
     * @param authorization the {@code Authorization} header each connection sends, or null for none
     * @param contentCheck tests each data frame's JSON, or {@code null} to skip; a failed test counts as corrupt
     */
    Subscriber(HttpClient client, Target target, String authorization, String channel,
            Predicate<String> contentCheck) {
        this.authorization = authorization;
        this.client = client;
        this.target = target;
        this.channel = channel;
        this.contentCheck = contentCheck;
    }

    Target target() {
        return target;
    }

    String channel() {
        return channel;
    }

    DeliveryCheck check() {
        return check;
    }

    /** Opens the stream, resuming after the last frame id seen if there was one; completes on {@code ready}. */
    synchronized Future<Void> connect() {
        Promise<Void> promise = Promise.promise();
        ready = promise;
        cutting = false;
        int current = ++generation;
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(target.host())
                .setPort(target.port())
                .setURI("/api/realtime?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8))
                .putHeader("Accept", "text/event-stream");
        if (lastEventId != null) {
            options.putHeader("Last-Event-ID", lastEventId);
        }
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        client.request(options)
                .compose(this::send)
                .onSuccess(response -> onResponse(current, response))
                .onFailure(failure -> promise.tryFail("subscribing to " + channel + " on " + target + " failed: "
                        + failure.getMessage()));
        return promise.future();
    }

    private synchronized Future<HttpClientResponse> send(HttpClientRequest sent) {
        request = sent;
        return sent.send();
    }

    private void onResponse(int connection, HttpClientResponse response) {
        if (response.statusCode() != 200) {
            response.body().onComplete(body -> failReady("subscribing to " + channel + " on " + target
                    + " failed: HTTP " + response.statusCode() + " " + (body.succeeded() ? body.result() : "")));
            return;
        }
        SseParser parser = new SseParser(frame -> onFrame(connection, frame));
        response.handler(buffer -> parser.feed(buffer.getBytes()));
        response.exceptionHandler(failure -> onEnd(connection));
        response.endHandler(ignored -> onEnd(connection));
    }

    private synchronized void failReady(String message) {
        ready.tryFail(message);
    }

    /** Closes the TCP connection as a network cut would. */
    synchronized void cut() {
        cutting = true;
        if (request != null) {
            request.connection().close();
        }
    }

    void close() {
        cut();
    }

    /** Starts timing the catch-up: {@link #caughtUpAt} is set once every offset up to {@code offset} arrived. */
    synchronized void expectCatchUp(long offset) {
        catchUpOffset = offset;
        caughtUpAt = check.contiguous() >= offset ? System.nanoTime() : 0;
    }

    long caughtUpAt() {
        return caughtUpAt;
    }

    private synchronized void onEnd(int connection) {
        if (connection == generation && !cutting) {
            unexpectedEnds++;
            ready.tryFail("the stream of " + channel + " on " + target + " ended before its ready frame");
        }
    }

    private synchronized void onFrame(int connection, SseParser.Frame frame) {
        long receivedAt = System.nanoTime();
        if (connection != generation) {
            return;
        }
        if (frame.id() != null) {
            lastEventId = frame.id();
        }
        String event = frame.event();
        if (event == null || event.isEmpty() || "message".equals(event)) {
            if (frame.data() != null) {
                onData(frame, receivedAt);
            }
            return;
        }
        switch (event) {
            case "ready" -> ready.tryComplete();
            case "gap" -> {
                gaps++;
                notice("gap " + frame.data());
            }
            case "reset" -> {
                resets++;
                notice("reset " + frame.data());
            }
            case "error" -> {
                errors++;
                notice("error " + frame.data());
            }
            default -> notice("unknown frame " + event);
        }
    }

    private void onData(SseParser.Frame frame, long receivedAt) {
        String data = frame.data();
        long offset = Payloads.frameOffset(data);
        if (frame.id() == null || Payloads.cursorOffset(frame.id()) != offset || offset < 0) {
            malformed++;
            notice("data frame id " + frame.id() + " does not match its offset " + offset);
        }
        check.record(offset);
        long sentAt = Payloads.sendNanos(data);
        if (sentAt > 0) {
            latency.recordNanos(receivedAt - sentAt);
        }
        if (contentCheck != null && !contentCheck.test(data)) {
            corrupt++;
            notice("payload of offset " + offset + " differs from what was emitted");
        }
        if (catchUpOffset > 0 && caughtUpAt == 0 && check.contiguous() >= catchUpOffset) {
            caughtUpAt = receivedAt;
        }
    }

    private void notice(String text) {
        // The first few are enough to explain a failure.
        if (notices.size() < 3) {
            notices.add(channel + "@" + target.port() + ": " + text);
        }
    }

    /** Counts of this subscriber's data frames, checked against offsets 1 to {@code top}. */
    record Counts(long deliveries, long lost, long duplicated, long reordered, long unexpected) {
    }

    synchronized Counts counts(long top) {
        return new Counts(check.deliveries(), check.lost(top), check.duplicated(), check.reordered(),
                check.unexpected(top));
    }

    synchronized LatencyHistogram latency() {
        return latency;
    }

    synchronized long controlFrames() {
        return gaps + resets + errors;
    }

    synchronized long malformed() {
        return malformed;
    }

    synchronized long corrupt() {
        return corrupt;
    }

    synchronized long unexpectedEnds() {
        return unexpectedEnds;
    }

    synchronized List<String> notices() {
        return List.copyOf(notices);
    }

    synchronized String lastEventId() {
        return lastEventId;
    }
}
