package dev.orderly.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.ProblemShape;
import dev.orderly.support.RawHttp;
import dev.orderly.support.Runs;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Hostile input against every endpoint, sent as raw bytes: each request gets a 4xx with the problem shape (naming
 * the field where the input names one), never a 5xx or a hang, and writes nothing to Redis.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class HostileInputTest extends SubscriberTestBase {

    /** Replaced in targets, headers and bodies by a channel name unique to the case. */
    private static final String TOKEN = "{T}";

    private static final String EMIT = "/api/channels/{T}/events";
    private static final String RUN = "/api/test-realtime";
    private static final String REPORT = "/api/reports";
    private static final String PROBE = "/api/probes";
    private static final String SUBSCRIBE = "/api/realtime?channel={T}";

    private static final String EVENT_DATA = "{\"type\":\"content\",\"data\":{\"messageId\":\"m\",\"sequenceId\":1}}";
    private static final String EMIT_BODY = "{\"event\":\"generate.event\",\"data\":" + EVENT_DATA + "}";
    private static final String RUN_BODY =
            "{\"channelId\":\"{T}\",\"count\":1,\"minSize\":1,\"maxSize\":1,\"delayMs\":0}";
    private static final String REPORT_BODY = "{\"runId\":\"{T}\",\"arrivals\":[]}";
    private static final String JSON = "application/json";
    private static final String UNKNOWN_FIELD = "{\"surprise\":1}";

    private static final String DEEP_ARRAY = "[".repeat(1000) + "]".repeat(1000);
    private static final String DEEP_OBJECT = "{\"a\":".repeat(1000) + "1" + "}".repeat(1000);
    private static final String TEN_MB = "x".repeat(10_000_000);

    /**
     * One hostile request. {@code status} 0 accepts any 4xx; {@code field} {@code null} accepts any field; a case
     * with {@code bareBody} expects Quarkus's own response without a body (see the README's error section).
     */
    record Case(String name, String method, String target, Map<String, String> headers, byte[] body, int status,
            String field, boolean bareBody) {

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        bodyCases(cases, "emit", EMIT);
        bodyCases(cases, "run", RUN);
        bodyCases(cases, "report", REPORT);
        bodyCases(cases, "probe", PROBE);
        numberCases(cases);
        subscribeMethodCases(cases);
        stringCases(cases);
        channelCases(cases);
        headerCases(cases);
        protocolCases(cases);
        return cases;
    }

    private static void bodyCases(List<Case> cases, String endpoint, String path) {
        cases.add(json(endpoint + " malformed JSON", path, "{\"event\":", 400, null));
        if (!path.equals(PROBE)) {
            // A probe without a body, or with null, runs with the defaults, so only the other endpoints reject it.
            cases.add(json(endpoint + " empty body", path, "", 400, "body"));
            cases.add(json(endpoint + " null body", path, "null", 400, "body"));
        }
        cases.add(json(endpoint + " array body", path, "[1,2]", 400, "body"));
        cases.add(json(endpoint + " string body", path, "\"x\"", 400, "body"));
        cases.add(json(endpoint + " number body", path, "42", 400, "body"));
        cases.add(json(endpoint + " deep array", path, DEEP_ARRAY, 400, "body"));
        cases.add(json(endpoint + " deep object", path, "{\"channelId\":" + DEEP_OBJECT + "}", 400, null));
        cases.add(json(endpoint + " unknown field", path, UNKNOWN_FIELD, 400, "surprise"));
        cases.add(json(endpoint + " duplicate key", path, "{\"count\":1,\"count\":2}", 400, null));
        cases.add(raw(endpoint + " invalid UTF-8", "POST", path, Map.of("Content-Type", JSON),
                concat("{\"channelId\":\"", new byte[] { (byte) 0xff, (byte) 0xfe, (byte) 0xc0 }, "\"}"), 400, null));
        cases.add(raw(endpoint + " text/plain", "POST", path, Map.of("Content-Type", "text/plain"),
                bytes(UNKNOWN_FIELD), 415, "Content-Type"));
        cases.add(raw(endpoint + " no content type", "POST", path, Map.of(), bytes(UNKNOWN_FIELD), 0, null));
        cases.add(raw(endpoint + " accepts only XML", "POST", path,
                Map.of("Content-Type", JSON, "Accept", "application/xml"), bytes(UNKNOWN_FIELD), 406, null));
        cases.add(raw(endpoint + " wrong method", "PUT", path, Map.of("Content-Type", JSON), bytes(UNKNOWN_FIELD), 405,
                null));
        cases.add(raw(endpoint + " over 10 MB", "POST", path, Map.of("Content-Type", JSON),
                bytes("{\"channelId\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}"), 0, null, true));
    }

    private static void subscribeMethodCases(List<Case> cases) {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            // HEAD gets 405 too, but its response has no body to check.
            cases.add(raw("subscribe with " + method, method, SUBSCRIBE, Map.of("Content-Type", JSON),
                    bytes("{}"), 405, "method"));
        }
    }

    private static void numberCases(List<Case> cases) {
        String[] numbers = { "1e309", "-0", "9223372036854775808", "NaN", "1.5", "\"1\"", "true", "-1e309" };
        for (String number : numbers) {
            cases.add(json("run count " + number, RUN, RUN_BODY.replace("\"count\":1", "\"count\":" + number),
                    400, number.equals("NaN") ? "body" : "count"));
            cases.add(json("probe count " + number, PROBE, "{\"count\":" + number + ",\"delayMs\":0}",
                    400, number.equals("NaN") ? "body" : "count"));
            cases.add(json("emit sequenceId " + number, EMIT, EMIT_BODY.replace("\"sequenceId\":1",
                    "\"sequenceId\":" + number), 0, number.equals("NaN") ? null : "data.data.sequenceId"));
            cases.add(json("report sequenceId " + number, REPORT, "{\"runId\":\"{T}\",\"arrivals\":[{\"sequenceId\":"
                    + number + ",\"type\":\"content\",\"size\":1,\"hash\":\"00000000\"}]}", 0, null));
        }
    }

    private static void stringCases(List<Case> cases) {
        cases.add(json("run channelId with NUL", RUN, RUN_BODY.replace("\"{T}\"", "\"{T}\\u0000x\""), 400,
                "channelId"));
        // A 10 MB string may exceed the configured body limit, so only a 4xx with the problem shape is expected.
        cases.add(json("run channelId 10 MB", RUN, RUN_BODY.replace("{T}", "{T}" + TEN_MB), 0, null));
        cases.add(json("run channelId with brace", RUN, RUN_BODY.replace("{T}", "{T}}{x"), 400, "channelId"));
        cases.add(json("run channelId wrong type", RUN, RUN_BODY.replace("\"{T}\"", "[\"{T}\"]"), 400, "channelId"));
        cases.add(json("report runId with NUL", REPORT, REPORT_BODY.replace("{T}", "{T}\\u0000"), 0, null));
        cases.add(json("report runId 10 MB", REPORT, REPORT_BODY.replace("{T}", "{T}" + TEN_MB), 0, null));
        cases.add(json("emit event 10 MB", EMIT, EMIT_BODY.replace("generate.event", TEN_MB), 0, null));
        cases.add(json("emit event with NUL", EMIT, EMIT_BODY.replace("generate.event", "generate.event\\u0000"),
                400, "event"));
        cases.add(json("emit data wrong type", EMIT, "{\"event\":\"generate.event\",\"data\":[1]}", 0, null));
        cases.add(json("emit type unknown", EMIT, EMIT_BODY.replace("\"content\"", "\"x\""), 0, "data.type"));
    }

    private static void channelCases(List<Case> cases) {
        String[] channels = { "{T}%7Bx%7D", "{T}*", "{T}%20x", "..%2F..%2Fetc%2Fpasswd", "{T}%2F..%2F{T}",
            "{T}%252F", "{T}%00", "{T}%C3%A9", "{T}%C0%AF", "{T}%0d%0aX:1", "{T}%3Bx=1" };
        for (String channel : channels) {
            cases.add(raw("emit channel " + channel, "POST", EMIT.replace(TOKEN, channel),
                    Map.of("Content-Type", JSON), bytes(EMIT_BODY), 400, "channel"));
            cases.add(raw("subscribe channel " + channel, "GET", SUBSCRIBE.replace(TOKEN, channel), Map.of(), null,
                    400, "channel"));
        }

        // Dots are legal in channel names, so these reach no endpoint only because the path is normalized.
        String[] traversals = { "..", "%2e%2e", "." };
        for (String traversal : traversals) {
            cases.add(raw("emit channel " + traversal, "POST", EMIT.replace(TOKEN, traversal),
                    Map.of("Content-Type", JSON), bytes(EMIT_BODY), 404, null));
        }
        cases.add(raw("emit channel matrix parameter", "POST", EMIT.replace(TOKEN, "{T};x=1"),
                Map.of("Content-Type", JSON), bytes(EMIT_BODY), 400, "path"));

        // A request line over Quarkus's 4096-byte limit gets 414 from the HTTP decoder, before any handler runs.
        String longChannel = "{T}" + "a".repeat(10_000);
        cases.add(raw("emit channel 10,000 characters", "POST", EMIT.replace(TOKEN, longChannel),
                Map.of("Content-Type", JSON), bytes(EMIT_BODY), 414, null, true));
        cases.add(raw("subscribe channel 10,000 characters", "GET", SUBSCRIBE.replace(TOKEN, longChannel), Map.of(),
                null, 414, null, true));

        cases.add(raw("subscribe no channel", "GET", "/api/realtime", Map.of(), null, 400, "channel"));
        cases.add(raw("subscribe empty channel", "GET", "/api/realtime?channel=", Map.of(), null, 400, "channel"));
        cases.add(raw("subscribe channel twice", "GET", SUBSCRIBE + "&channel={T}", Map.of(), null, 400,
                "channel"));
        cases.add(raw("subscribe since 1e309", "GET", SUBSCRIBE + "&since=1e309", Map.of(), null, 400, "since"));
        cases.add(raw("subscribe since -1", "GET", SUBSCRIBE + "&since=-1", Map.of(), null, 400, "since"));
        cases.add(raw("subscribe since 2^64", "GET", SUBSCRIBE + "&since=18446744073709551616", Map.of(), null,
                400, "since"));
        cases.add(raw("subscribe since NaN", "GET", SUBSCRIBE + "&since=NaN", Map.of(), null, 400, "since"));
        cases.add(raw("subscribe since empty", "GET", SUBSCRIBE + "&since=", Map.of(), null, 400, "since"));

        cases.add(raw("subscribe since malformed escape", "GET", SUBSCRIBE + "&since=%zz", Map.of(), null, 400,
                null, true));
        cases.add(raw("subscribe channel malformed escape", "GET", "/api/realtime?channel=%zz", Map.of(), null, 400,
                null, true));
        cases.add(raw("emit channel malformed escape", "POST", "/api/channels/%zz/events",
                Map.of("Content-Type", JSON), bytes(EMIT_BODY), 400, null, true));
    }

    private static void headerCases(List<Case> cases) {
        String[] keys = { "a b", "a\tb", "x".repeat(129), "", "caf\u00c3\u00a9" };
        for (String key : keys) {
            cases.add(raw("Idempotency-Key " + (key.length() > 20 ? "129 characters" : key), "POST", EMIT,
                    Map.of("Content-Type", JSON, "Idempotency-Key", key), bytes(EMIT_BODY), 400,
                    "Idempotency-Key"));
        }
        String[] positions = { "zz", "0-1,0-2", "-1", "1e309", "99999999999999999999", "", "x".repeat(10_000),
            "caf\u00c3\u00a9", "0-1%0d%0aevent: x", "abc-1", "1-1-1" };
        for (String position : positions) {
            cases.add(raw("Last-Event-ID " + (position.length() > 20 ? "10,000 characters" : position), "GET",
                    SUBSCRIBE, Map.of("Last-Event-ID", position), null, 400, "Last-Event-ID"));
        }
    }

    private static void protocolCases(List<Case> cases) {
        cases.add(raw("unknown path", "GET", "/api/nothing-here", Map.of(), null, 404, null));
        cases.add(raw("unknown path below emit", "POST", EMIT + "/extra", Map.of("Content-Type", JSON),
                bytes(EMIT_BODY), 404, null));
        cases.add(raw("empty channel segment", "POST", "/api/channels//events", Map.of("Content-Type", JSON),
                bytes(EMIT_BODY), 404, null));
        cases.add(raw("subscribe wrong method", "DELETE", SUBSCRIBE, Map.of(), null, 0, null));
        cases.add(raw("subscribe with POST", "POST", SUBSCRIBE, Map.of("Content-Type", JSON), bytes("{}"), 0, null));
        cases.add(raw("no Host header", "GET", SUBSCRIBE, Map.of("Host", ""), null, 400, null));
        cases.add(raw("invalid Host header", "POST", REPORT, Map.of("Host", "ZAP%n%s%n", "Content-Type", JSON),
                bytes(REPORT_BODY), 400, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileRequestIsRejected(Case hostile) {
        String token = "hx" + Runs.newChannelId();
        Set<String> probeKeysBefore = probeKeys();

        RawHttp.Response response = send(hostile, token);

        assertTrue(response.status() < 500, hostile.name() + ": got " + response.status() + " "
                + response.bodyText());
        if (hostile.bareBody()) {
            // NOTE: Quarkus rejects these before Orderly runs and sends no body, so there is no problem to check.
            assertTrue(response.status() >= 400, hostile.name() + ": got " + response.status());
        } else {
            ProblemShape.assertProblem(hostile.name(), response, hostile.field());
        }
        if (hostile.status() != 0) {
            assertEquals(hostile.status(), response.status(), hostile.name() + ": " + response.bodyText());
        }
        assertEquals(List.of(), redis.key().keys("*" + token + "*"), hostile.name() + ": keys written");
        Set<String> newProbeKeys = new HashSet<>(probeKeys());
        newProbeKeys.removeAll(probeKeysBefore);
        assertEquals(Set.of(), newProbeKeys, hostile.name() + ": probe keys written");
    }

    private RawHttp.Response send(Case hostile, String token) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        hostile.headers().forEach((name, value) -> headers.put(name, value.replace(TOKEN, token)));
        String target = hostile.target().replace(TOKEN, token);
        byte[] body = hostile.body() == null ? null : replaceToken(hostile.body(), token);
        return RawHttp.send(realtime.getPort(), hostile.method(), target, headers, body);
    }

    private Set<String> probeKeys() {
        return new HashSet<>(redis.key().keys("orderly:{generate:probe-*"));
    }

    private static byte[] replaceToken(byte[] body, String token) {
        // Bodies are ISO-8859-1 text here, so invalid UTF-8 bytes survive the replacement unchanged.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.replace(TOKEN, token).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Case json(String name, String path, String body, int status, String field) {
        return raw(name, "POST", path, Map.of("Content-Type", JSON), body.getBytes(StandardCharsets.UTF_8), status,
                field);
    }

    private static Case raw(String name, String method, String target, Map<String, String> headers, byte[] body,
            int status, String field) {
        return raw(name, method, target, headers, body, status, field, false);
    }

    private static Case raw(String name, String method, String target, Map<String, String> headers, byte[] body,
            int status, String field, boolean bareBody) {
        return new Case(name, method, target, headers, body, status, field, bareBody);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        byte[] head = bytes(before);
        byte[] tail = bytes(after);
        byte[] all = new byte[head.length + middle.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }
}
