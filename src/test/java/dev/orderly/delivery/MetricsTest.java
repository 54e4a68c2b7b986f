package dev.orderly.delivery;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.orderly.support.EmbeddedRedisResource;
import dev.orderly.support.Frames;
import dev.orderly.support.Runs;
import dev.orderly.support.SseClient;
import dev.orderly.support.SubscriberTestBase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The Prometheus endpoint lists every Orderly metric, and emits and deliveries move them by exact amounts. */
@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class MetricsTest extends SubscriberTestBase {

    private static final List<String> METRICS = List.of(
            "orderly_events_emitted_total",
            "orderly_events_delivered_total",
            "orderly_emit_latency_seconds_count",
            "orderly_emit_latency_seconds_max",
            "orderly_delivery_latency_seconds_count",
            "orderly_delivery_latency_seconds_max",
            "orderly_gaps_filled_total",
            "orderly_notices_gap_total",
            "orderly_notices_reset_total",
            "orderly_position_catchups_total",
            "orderly_subscribers",
            "orderly_subscribers_closed_slow_total",
            "orderly_pubsub_channels",
            "orderly_pubsub_links",
            "orderly_pubsub_link_drops_total",
            "orderly_pubsub_link_restores_total",
            "orderly_pubsub_channel_moves_total");

    @Test
    void everyMetricIsListed() {
        Map<String, Double> metrics = scrape();

        for (String name : METRICS) {
            assertTrue(metrics.containsKey(name), name + " is missing from /q/metrics");
        }
    }

    @Test
    void emitsAndDeliveriesAreCounted() {
        String channel = "metrics:" + Runs.newChannelId();
        Map<String, Double> before = scrape();

        try (SseClient client = SseClient.open(subscribeUri(channel))) {
            client.awaitReady();
            Map<String, Double> subscribed = scrape();
            for (int sequenceId = 1; sequenceId <= 3; sequenceId++) {
                Runs.emitContent(channel, sequenceId, "event " + sequenceId);
            }
            assertEquals(Frames.range(1, 3), Frames.offsets(client.awaitData(3, Duration.ofSeconds(10))));
            Awaitility.await("deliveries counted")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> delta(before, scrape(), "orderly_events_delivered_total") == 3);
            Map<String, Double> after = scrape();

            assertEquals(1.0, subscribed.get("orderly_subscribers"));
            assertEquals(1.0, subscribed.get("orderly_pubsub_channels"));
            assertEquals(1.0, subscribed.get("orderly_pubsub_links"));
            assertEquals(3, delta(before, after, "orderly_events_emitted_total"));
            assertEquals(3, delta(before, after, "orderly_emit_latency_seconds_count"));
            assertEquals(3, delta(before, after, "orderly_events_delivered_total"));
            assertEquals(3, delta(before, after, "orderly_delivery_latency_seconds_count"));
        }
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        return after.get(name) - before.get(name);
    }

    /** Reads {@code /q/metrics} into a map from metric name (without tags) to value. */
    private static Map<String, Double> scrape() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> metrics = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int nameEnd = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
            String value = line.substring(line.lastIndexOf(' ') + 1);
            metrics.merge(line.substring(0, nameEnd), Double.parseDouble(value), Double::sum);
        }
        return metrics;
    }
}
