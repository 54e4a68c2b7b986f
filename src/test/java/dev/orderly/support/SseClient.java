package dev.orderly.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import io.restassured.path.json.JsonPath;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A plain SSE client for tests: JDK {@code HttpClient} over HTTP/1.1, like a browser, reading the stream on its
 * own thread and parsing frames as the SSE specification does (fields {@code id}, {@code event}, {@code data},
 * comment lines, one leading space after the colon removed). It keeps every frame it received, except that a
 * client opened with {@link #openCompact} keeps data frames without their payload.
 */
public final class SseClient implements AutoCloseable {

    /** One dispatched frame; {@code event} is {@code null} for unnamed data frames. */
    public record Frame(String id, String event, String data) {
    }

    /**
     * A data frame without its payload, as kept by {@link #openCompact}: its {@code id} (the cursor), its channel
     * offset and its {@code generate.event} sequence id ({@code 0} when it has none).
     */
    public record CompactFrame(String id, long offset, long sequenceId) {
    }

    /** How long a throttled client sleeps before each read. */
    private static final long THROTTLE_INTERVAL_MILLIS = 100;
    private static final JsonFactory JSON = new JsonFactory();

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile HttpResponse<InputStream> response;
    private volatile boolean ended;
    private volatile String lastEventId;
    private volatile Throwable failure;
    private final CountDownLatch reading;
    /** Data frames of a compact client, or {@code null} for a client that keeps whole frames. */
    private final List<CompactFrame> compactData;
    /** Bytes a throttled client reads per {@link #THROTTLE_INTERVAL_MILLIS}, or 0 when it reads at full speed. */
    private volatile int throttledBytesPerRead;

    private SseClient(URI uri, String lastEventId, boolean paused) {
        this(uri, lastEventId, paused, false, 0, Map.of());
    }

    private SseClient(URI uri, String lastEventId, boolean paused, boolean compact, int bytesPerSecond,
            Map<String, String> headers) {
        reading = new CountDownLatch(paused ? 1 : 0);
        compactData = compact ? Collections.synchronizedList(new ArrayList<>()) : null;
        throttledBytesPerRead = bytesPerSecond == 0 ? 0
                : (int) Math.max(1, bytesPerSecond * THROTTLE_INTERVAL_MILLIS / 1000);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        headers.forEach(request::header);
        reader = new Thread(() -> read(request.build()), "sse-client " + uri.getQuery());
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a connection; {@code lastEventId} may be {@code null}. */
    public static SseClient open(URI uri, String lastEventId) {
        return new SseClient(uri, lastEventId, false);
    }

    /** Opens a connection that sends {@code headers} as well, such as {@code Authorization} or {@code Cookie}. */
    public static SseClient openWithHeaders(URI uri, Map<String, String> headers) {
        return new SseClient(uri, null, false, false, 0, headers);
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

    /**
     * Opens a connection that keeps each data frame as a {@link CompactFrame} (id, offset and sequence id, parsed
     * on arrival) instead of its text, so a test can follow tens of thousands of large events on many connections
     * without holding their payloads. Named frames and comments are kept whole; {@link #data} stays empty, and
     * {@link #compactData} returns the data frames. {@code lastEventId} may be {@code null}.
     */
    public static SseClient openCompact(URI uri, String lastEventId) {
        return new SseClient(uri, lastEventId, false, true, 0, Map.of());
    }

    public static SseClient openCompact(URI uri) {
        return openCompact(uri, null);
    }

    /**
     * Opens a connection that reads about {@code bytesPerSecond} bytes per second, like a client on a slow network,
     * until {@link #readAtFullSpeed}: it sleeps {@value #THROTTLE_INTERVAL_MILLIS} ms before each read of at most a
     * tenth of that. Once the socket buffers fill, the server's writes back up. It keeps whole frames, like
     * {@link #open}.
     */
    public static SseClient openThrottled(URI uri, int bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive, got " + bytesPerSecond);
        }
        return new SseClient(uri, null, false, false, bytesPerSecond, Map.of());
    }

    /** Lifts the limit of {@link #openThrottled}, so the client reads as fast as the server writes. */
    public void readAtFullSpeed() {
        throttledBytesPerRead = 0;
    }

    /** Returns the data frames a compact client received, in arrival order. */
    public List<CompactFrame> compactData() {
        requireCompact();
        synchronized (compactData) {
            return List.copyOf(compactData);
        }
    }

    /** Waits until a compact client received at least {@code count} data frames and returns them. */
    public List<CompactFrame> awaitCompactData(int count, Duration timeout) {
        requireCompact();
        Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> compactData.size() >= count || ended);
        if (compactData.size() < count) {
            throw new AssertionError("stream ended after " + compactData.size() + " of " + count
                    + " data frames; named frames: " + summary() + (failure == null ? "" : ", failure: " + failure));
        }
        return compactData();
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

    /**
     * Returns the id a browser would send as {@code Last-Event-ID} after this stream: the last {@code id:} seen
     * in any dispatched block, with or without data, as the HTML specification defines it.
     */
    public String lastEventId() {
        return lastEventId;
    }

    /**
     * Sends a GET that must be rejected with 400 and returns the problem body. A 200 fails the test and closes the
     * SSE stream at once, where a client that reads the whole body would wait forever.
     */
    public static JsonPath rejection(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertEquals(400, response.statusCode(), "status of GET " + uri);
                return JsonPath.from(new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during GET " + uri, e);
        }
    }

    /**
     * Sends a GET with a {@code Last-Event-ID} header over a raw socket, so the header may hold bytes that HTTP
     * client libraries refuse to send (such as NUL), and returns the problem body of the required 400 response, or
     * {@code null} when the HTTP server rejected the request before Orderly saw it.
     */
    public static JsonPath rejection(URI uri, String lastEventId) {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Accept: text/event-stream\r\n"
                    + "Last-Event-ID: " + lastEventId + "\r\n"
                    + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            BufferedReader response = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = response.readLine();
            assertEquals("HTTP/1.1 400 Bad Request", status, "status of GET " + uri);
            int length = 0;
            String header;
            while ((header = response.readLine()) != null && !header.isEmpty()) {
                if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring("content-length:".length()).trim());
                }
            }
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                int count = response.read(body, read, length - read);
                if (count < 0) {
                    break;
                }
                read += count;
            }
            String text = new String(body, 0, read);
            // The HTTP layer rejects some malformed headers itself, with a plain-text body.
            return text.startsWith("{") ? JsonPath.from(text) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        }
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
            InputStream body = throttledBytesPerRead == 0 ? response.body() : new ThrottledStream(response.body());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                parse(lines);
            }
        } catch (IOException | InterruptedException e) {
            failure = e;
        } finally {
            ended = true;
        }
    }

    private void parse(BufferedReader lines) throws IOException {
        // As in browsers, the last event ID buffer outlives the frame: an id: line without data still moves it.
        String idBuffer = lastEventId;
        String id = null;
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                lastEventId = idBuffer;
                if (data != null && compactData != null && event == null) {
                    compactData.add(compact(id, data.toString()));
                } else if (data != null) {
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
                case "id" -> {
                    id = value;
                    idBuffer = value;
                }
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                    // retry: and unknown fields do not affect the frames a test inspects.
                }
            }
        }
    }

    private void requireCompact() {
        if (compactData == null) {
            throw new IllegalStateException("only a client opened with openCompact keeps compact data frames");
        }
    }

    /**
     * Reads the offset and the sequence id of a data frame, stopping as soon as both are found: they come before
     * the content in the frames Orderly writes, so the payload is not scanned.
     */
    private static CompactFrame compact(String id, String json) throws IOException {
        long offset = -1;
        long sequenceId = 0;
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken token;
            while ((offset < 0 || sequenceId == 0) && (token = parser.nextToken()) != null) {
                if (!token.isNumeric()) {
                    continue;
                }
                String path = parser.getParsingContext().pathAsPointer().toString();
                if (path.equals("/offset")) {
                    offset = parser.getLongValue();
                } else if (path.equals("/data/data/sequenceId")) {
                    sequenceId = parser.getLongValue();
                }
            }
        }
        if (offset < 0) {
            throw new IOException("data frame " + id + " has no offset: " + json);
        }
        return new CompactFrame(id, offset, sequenceId);
    }

    /** Reads at most {@link #throttledBytesPerRead} bytes per interval while the client is throttled. */
    private final class ThrottledStream extends FilterInputStream {

        ThrottledStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            pause();
            return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int limit = throttledBytesPerRead;
            if (limit == 0) {
                return super.read(buffer, offset, length);
            }
            pause();
            return super.read(buffer, offset, Math.min(length, limit));
        }

        private void pause() throws InterruptedIOException {
            if (throttledBytesPerRead == 0) {
                return;
            }
            try {
                // Sleeping here is the point: it keeps bytes in the socket buffers, as a slow network does.
                Thread.sleep(THROTTLE_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("throttled SSE client closed while pausing");
            }
        }
    }
}
