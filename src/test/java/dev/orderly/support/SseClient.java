package dev.orderly.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

/**
 * A plain SSE client for tests: JDK {@code HttpClient} over HTTP/1.1, like a browser, reading the stream on its
 * own thread and parsing frames as the SSE specification does (fields {@code id}, {@code event}, {@code data},
 * comment lines, one leading space after the colon removed). It keeps every frame it received.
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched frame; {@code event} is {@code null} for unnamed data frames. */
    public record Frame(String id, String event, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile HttpResponse<InputStream> response;
    private volatile boolean ended;
    private volatile Throwable failure;
    private final CountDownLatch reading;

    private SseClient(URI uri, String lastEventId, boolean paused) {
        reading = new CountDownLatch(paused ? 1 : 0);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        reader = new Thread(() -> read(request.build()), "sse-client " + uri.getQuery());
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a connection; {@code lastEventId} may be {@code null}. */
    public static SseClient open(URI uri, String lastEventId) {
        return new SseClient(uri, lastEventId, false);
    }

    /**
     * Opens a connection that reads nothing until {@link #resumeReading}, like a client on a slow network: once
     * the socket buffers fill, the server can no longer write to it.
     */
    public static SseClient openPaused(URI uri) {
        return new SseClient(uri, null, true);
    }

    public void resumeReading() {
        reading.countDown();
    }

    public static SseClient open(URI uri) {
        return open(uri, null);
    }

    /** Returns the HTTP status once the response has started, waiting up to 10 seconds. */
    public HttpResponse<InputStream> response() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> response != null || failure != null);
        return response;
    }

    public List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** Unnamed frames, the ones {@code EventSource.onmessage} receives. */
    public List<Frame> data() {
        return frames.stream().filter(frame -> frame.event() == null).toList();
    }

    public List<Frame> named(String event) {
        return frames.stream().filter(frame -> event.equals(frame.event())).toList();
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    public boolean ended() {
        return ended;
    }

    /** Waits until the {@code ready} frame arrived and returns it. */
    public Frame awaitReady() {
        awaitFrames(all -> all.stream().anyMatch(frame -> "ready".equals(frame.event())), Duration.ofSeconds(10));
        return named("ready").get(0);
    }

    /** Waits until at least {@code count} data frames arrived. */
    public List<Frame> awaitData(int count, Duration timeout) {
        awaitFrames(all -> all.stream().filter(frame -> frame.event() == null).count() >= count, timeout);
        return data();
    }

    public void awaitFrames(Predicate<List<Frame>> condition, Duration timeout) {
        Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> condition.test(frames()) || ended);
        if (!condition.test(frames())) {
            throw new AssertionError("stream ended before the condition held; frames: " + summary()
                    + (failure == null ? "" : ", failure: " + failure));
        }
    }

    /** Closes the connection, as a browser tab that goes away does. */
    @Override
    public void close() {
        HttpResponse<InputStream> current = response;
        if (current != null) {
            try {
                current.body().close();
            } catch (IOException e) {
                // Closing an already broken stream is fine.
            }
        }
        reading.countDown();
        reader.interrupt();
    }

    private String summary() {
        List<String> parts = new ArrayList<>();
        for (Frame frame : frames) {
            parts.add((frame.event() == null ? "data" : frame.event()) + "@" + frame.id());
        }
        return parts.size() > 20 ? parts.subList(0, 20) + "… (" + parts.size() + ")" : parts.toString();
    }

    private void read(HttpRequest request) {
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            reading.await();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                parse(lines);
            }
        } catch (IOException | InterruptedException e) {
            failure = e;
        } finally {
            ended = true;
        }
    }

    private void parse(BufferedReader lines) throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    frames.add(new Frame(id, event, data.toString()));
                }
                id = null;
                event = null;
                data = null;
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "" -> comments.add(value);
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                    // retry: and unknown fields do not affect the frames a test inspects.
                }
            }
        }
    }
}
