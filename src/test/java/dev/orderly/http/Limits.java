package dev.orderly.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.orderly.support.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.restassured.path.json.JsonPath;

/** Helpers of the request limit tests. */
final class Limits {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Limits() {
    }

    /** Returns {@code orderly_requests_rejected_total} for one limit, 0 before its first rejection. */
    static double rejected(MeterRegistry meters, String limit) {
        return Meters.count(meters, "orderly.requests.rejected", "limit", limit);
    }

    /** Returns the Redis keys of one channel. */
    static List<String> channelKeys(RedisDataSource redis, String channel) {
        return redis.key().keys("orderly:{" + channel + "}*");
    }

    /** A rejected subscription: its status, Retry-After header and body. */
    record Rejection(int status, String retryAfter, JsonPath body) {
    }

    /**
     * Opens {@code uri} and reads the whole response, which must not be an SSE stream: a 200 fails the test at
     * once instead of waiting for a stream that never ends.
     */
    static Rejection rejectedSubscription(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() == 200) {
                    assertEquals(429, response.statusCode(), "status of GET " + uri);
                }
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                return new Rejection(response.statusCode(),
                        response.headers().firstValue("Retry-After").orElse(null), JsonPath.from(text));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during GET " + uri, e);
        }
    }
}
