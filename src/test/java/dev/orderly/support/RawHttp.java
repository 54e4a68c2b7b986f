package dev.orderly.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client over a plain socket that sends exactly the bytes it is given: raw request targets, header
 * values and bodies that {@code HttpClient} or rest-assured would reject or re-encode. Every request has a connect
 * timeout of 5 s and a read timeout of 10 s, and a {@code text/event-stream} response is closed right after its
 * headers, so no call can hang.
 */
public final class RawHttp {

    /** A response: status, headers with lowercase names, and the body ({@code null} for an event stream). */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public String bodyText() {
            return body == null ? null : new String(body, StandardCharsets.UTF_8);
        }

        public boolean isEventStream() {
            return headers.getOrDefault("content-type", "").startsWith("text/event-stream");
        }
    }

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_BODY_BYTES = 1 << 20;

    private RawHttp() {
    }

    /**
     * Sends one request to 127.0.0.1 and returns its response.
     *
     * @param target the request target exactly as it appears in the request line, such as {@code /api/x?y=%zz}
     * @param headers header lines; a value may carry any bytes as ISO-8859-1 characters. A {@code Host} entry
 *        replaces the default {@code Host: 127.0.0.1:<port>}, and an empty one sends no {@code Host} at all
     * @param body the body, or {@code null} for none; {@code Content-Length} is added when it is not {@code null}
     * @throws UncheckedIOException when the connection fails or a read times out
     */
    public static Response send(int port, String method, String target, Map<String, String> headers, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head(port, method, target, headers, body));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // A server may send its response and close before reading a large body. The response is still readable.
            }
            return read(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException(method + " " + abbreviate(target) + " timed out after "
                    + READ_TIMEOUT_MILLIS + " ms without a complete response", e);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + abbreviate(target) + " failed: " + e.getMessage(), e);
        }
    }

    private static byte[] head(int port, String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        head.append("Connection: close\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equals("Host") && header.getValue().isEmpty()) {
                continue;
            }
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("connection closed before a status line");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (headers.getOrDefault("content-type", "").startsWith("text/event-stream")) {
            return new Response(status, headers, null);
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else {
            body = in.readNBytes(MAX_BODY_BYTES);
        }
        return new Response(status, headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                readLine(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String target) {
        return target.length() <= 120 ? target : target.substring(0, 120) + "… (" + target.length() + " characters)";
    }
}
