package dev.orderly.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.ProblemShape;
import dev.orderly.support.RawHttp;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Random requests against every endpoint and method, mixing valid and broken parts, then a normal reproduction run
 * on the same instance. The seed is printed; rerun one sequence with {@code -Dorderly.fuzz.seed=<seed>}.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class RequestFuzzTest extends SubscriberTestBase {

    private static final int MAX_REQUESTS = 3_000;
    private static final Duration MAX_DURATION = Duration.ofSeconds(45);

    private static final String[] METHODS = { "GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD" };
    private static final String[] CONTENT_TYPES = { "application/json", "application/json", "application/json",
        "application/json; charset=UTF-8", "text/plain", "application/x-www-form-urlencoded", "", "*/*" };
    private static final String[] ACCEPTS = { "", "", "", "application/json", "text/event-stream", "text/html",
        "*/*" };
    private static final String[] CHANNEL_PARTS = { "a", "Z9", ":", "_", "-", ".", "..", "{", "}", "*", " ", "/",
        "\\", "\u0000", "é", "\u2028", "%2F", "%00", "%C0%AF", "%2e%2e", ";x=1", "?", "#", "&", "=" };
    private static final String[] BROKEN_VALUES = { "1e309", "-0", "9223372036854775808", "NaN", "-1", "0",
        "10001", "1.5", "\"1\"", "true", "null", "[]", "{}", "\"\\u0000\"", "\"\\ud800\"", "\"x\"" };
    private static final String[] POSITIONS = { "0", "3", "-1", "1e309", "zz", "0-0", "abc-1", "1-1-1", "0-1,0-2",
        "99999999999999999999", "" };

    @Test
    void fuzzedRequestsLeaveServiceClean() {
        long seed = Long.getLong("orderly.fuzz.seed", System.nanoTime());
        System.out.println("RequestFuzzTest seed: " + seed + " (rerun with -Dorderly.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        long deadline = System.nanoTime() + MAX_DURATION.toNanos();

        int sent = 0;
        int rejected = 0;
        while (sent < MAX_REQUESTS && System.nanoTime() < deadline) {
            String token = "fz" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
            FuzzRequest request = generate(random, token);
            String label = "seed " + seed + ", request " + sent + ": " + request;

            RawHttp.Response response = RawHttp.send(realtime.getPort(), request.method(), request.target(),
                    request.headers(), request.body());
            sent++;

            assertTrue(response.status() < 500, label + " got " + response.status() + " " + response.bodyText());
            if (response.status() >= 400) {
                rejected++;
                if (!"HEAD".equals(request.method())) {
                    ProblemShape.assertProblem(label, response, null);
                }
                assertEquals(List.of(), redis.key().keys("*" + token + "*"), label + ": keys written");
            }
        }
        System.out.println("RequestFuzzTest sent " + sent + " requests, " + rejected + " rejected");
        assertTrue(sent >= 500, "only " + sent + " requests in " + MAX_DURATION.toSeconds() + " s");

        assertReproductionClean();
    }

    private void assertReproductionClean() {
        String channelId = Runs.newChannelId();
        URI uri = URI.create(realtime + "?channel=" + URLEncoder.encode("generate:" + channelId,
                StandardCharsets.UTF_8));
        try (SseClient client = SseClient.open(uri)) {
            client.awaitReady();
            JsonPath run = Runs.run(channelId, 50, 1, 200, 0);
            List<SseClient.Frame> frames = client.awaitData(51, Duration.ofSeconds(30));

            assertEquals(Frames.range(1, 51), Frames.sequenceIds(frames));
            JsonPath report = Runs.report(run.getString("runId"), Frames.arrivals(frames));
            assertEquals(51, report.getInt("received"));
            assertEquals(0, report.getInt("missingCount"));
            assertEquals(0, report.getInt("duplicateCount"));
            assertEquals(0, report.getInt("payloadMismatchCount"));
            assertTrue(report.getBoolean("inOrder"));
            assertTrue(report.getBoolean("clean"));
        }
    }

    record FuzzRequest(String method, String target, Map<String, String> headers, byte[] body) {

        @Override
        public String toString() {
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            String abbreviated = text.length() > 300 ? text.substring(0, 300) + "…" : text;
            return method + " " + target + " " + headers + " " + abbreviated;
        }
    }

    private static FuzzRequest generate(Random random, String token) {
        int endpoint = random.nextInt(6);
        String method = random.nextInt(5) == 0 ? pick(random, METHODS) : endpoint == 4 ? "GET" : "POST";
        Map<String, String> headers = new LinkedHashMap<>();
        String contentType = pick(random, CONTENT_TYPES);
        if (!contentType.isEmpty()) {
            headers.put("Content-Type", contentType);
        }
        String accept = pick(random, ACCEPTS);
        if (!accept.isEmpty()) {
            headers.put("Accept", accept);
        }
        return switch (endpoint) {
            case 0 -> emit(random, token, method, headers);
            case 1 -> post(method, "/api/test-realtime", headers, runBody(random, token));
            case 2 -> post(method, "/api/reports", headers, reportBody(random, token));
            case 3 -> post(method, "/api/probes", headers, probeBody(random));
            case 4 -> subscribe(random, token, method, headers);
            default -> post(method, "/api/" + encode(channel(random, token)), headers, "{}");
        };
    }

    private static FuzzRequest emit(Random random, String token, String method, Map<String, String> headers) {
        if (random.nextInt(4) == 0) {
            headers.put("Idempotency-Key", random.nextBoolean() ? token : headerValue(random));
        }
        String channel = random.nextInt(3) == 0 ? channel(random, token) : token;
        String sequenceId = random.nextInt(3) == 0 ? pick(random, BROKEN_VALUES) : "1";
        String type = random.nextInt(6) == 0 ? pick(random, BROKEN_VALUES) : "\"content\"";
        String event = random.nextInt(6) == 0 ? pick(random, BROKEN_VALUES) : "\"generate.event\"";
        String body = "{\"event\":" + event + ",\"data\":{\"type\":" + type
                + ",\"data\":{\"messageId\":\"m\",\"sequenceId\":" + sequenceId + "}}}";
        return post(method, "/api/channels/" + encode(channel) + "/events", headers, breakJson(random, body));
    }

    private static String runBody(Random random, String token) {
        String count = random.nextInt(3) == 0 ? pick(random, BROKEN_VALUES) : String.valueOf(1 + random.nextInt(3));
        String delay = random.nextInt(4) == 0 ? pick(random, BROKEN_VALUES) : "0";
        String channelId = random.nextInt(4) == 0 ? ProblemShape.quote(channel(random, token))
                : "\"" + token + "\"";
        String body = "{\"channelId\":" + channelId + ",\"count\":" + count + ",\"minSize\":0,\"maxSize\":8,"
                + "\"delayMs\":" + delay + "}";
        return breakJson(random, body);
    }

    private static String reportBody(Random random, String token) {
        String sequenceId = random.nextBoolean() ? pick(random, BROKEN_VALUES) : "1";
        String body = "{\"runId\":\"" + token + "\",\"arrivals\":[{\"sequenceId\":" + sequenceId
                + ",\"type\":\"content\",\"size\":1,\"hash\":\"00000000\"}]}";
        return breakJson(random, body);
    }

    private static String probeBody(Random random) {
        // Every probe body has an invalid count, because a valid probe runs for a second or more. A null count
        // would mean the default, so it is replaced.
        String count = pick(random, BROKEN_VALUES);
        if (count.equals("null")) {
            count = "0";
        }
        return breakJson(random, "{\"count\":" + count + ",\"delayMs\":0}");
    }

    private static FuzzRequest subscribe(Random random, String token, String method, Map<String, String> headers) {
        StringBuilder target = new StringBuilder("/api/realtime?channel=")
                .append(encode(random.nextInt(3) == 0 ? channel(random, token) : token));
        if (random.nextInt(3) == 0) {
            target.append("&since=").append(encode(pick(random, POSITIONS)));
        }
        if (random.nextInt(5) == 0) {
            target.append("&channel=").append(encode(channel(random, token)));
        }
        if (random.nextInt(3) == 0) {
            headers.put("Last-Event-ID", random.nextBoolean() ? pick(random, POSITIONS) : headerValue(random));
        }
        return new FuzzRequest(method, target.toString(), headers, method.equals("GET") ? null : new byte[0]);
    }

    private static FuzzRequest post(String method, String target, Map<String, String> headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new FuzzRequest(method, target, headers, bytes);
    }

    /** Returns {@code body} unchanged or with one of several breaks: cut short, a byte flipped, a key doubled. */
    private static String breakJson(Random random, String body) {
        return switch (random.nextInt(10)) {
            case 0 -> body.substring(0, 1 + random.nextInt(body.length() - 1));
            case 1 -> body.replaceFirst("\\{", "{\"extra\":1,");
            case 2 -> body.replaceFirst("\\{\"(\\w+)\":", "{\"$1\":1,\"$1\":");
            case 3 -> "[" + body + "]";
            case 4 -> body + " trailing";
            case 5 -> "{\"a\":".repeat(600) + "1" + "}".repeat(600);
            case 6 -> {
                char[] chars = body.toCharArray();
                chars[random.nextInt(chars.length)] = (char) random.nextInt(128);
                yield new String(chars);
            }
            default -> body;
        };
    }

    private static String channel(Random random, String token) {
        StringBuilder channel = new StringBuilder(token);
        int parts = random.nextInt(4);
        for (int i = 0; i < parts; i++) {
            channel.append(pick(random, CHANNEL_PARTS));
        }
        if (random.nextInt(20) == 0) {
            channel.append("a".repeat(300));
        }
        return channel.toString();
    }

    private static String headerValue(Random random) {
        StringBuilder value = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            // Visible ASCII, space and tab only: other control characters break HTTP framing itself.
            int choice = random.nextInt(96);
            if (choice == 94) {
                value.append(' ');
            } else if (choice == 95) {
                value.append('\t');
            } else {
                value.append((char) (0x21 + choice));
            }
        }
        return value.toString().strip();
    }

    private static String encode(String text) {
        // The parts that look like escapes or matrix parameters go out raw, to test the server's own decoding.
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.replace("%252F", "%2F").replace("%2500", "%00").replace("%25C0%25AF", "%C0%AF")
                .replace("%252e%252e", "%2e%2e").replace("%3Bx%3D1", ";x=1");
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
