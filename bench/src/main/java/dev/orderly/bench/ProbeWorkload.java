package dev.orderly.bench;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * W1 through the service's delivery probe, {@code POST /api/probes}: the instance subscribes to a fresh channel
 * over loopback HTTP, runs the reproduction and returns its delivery report with latency percentiles. Unlike the
 * other workloads, latency here is measured by the instance (emit time to the probe client's receipt).
 */
final class ProbeWorkload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeWorkload() {
    }

    static Row run(Bench bench, String name, int count, Duration timeout) throws Bench.TimeoutFailure {
        Target target = bench.targets().get(0);
        String body = "{\"count\":" + count + ",\"minSize\":1,\"maxSize\":5000,\"delayMs\":5}";
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host())
                .setPort(target.port())
                .setURI("/api/probes")
                .setIdleTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json");
        if (bench.authorization != null) {
            options.putHeader("Authorization", bench.authorization);
        }
        long started = System.nanoTime();
        Future<String> reply = bench.emits.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().compose(text -> response.statusCode() == 200
                        ? Future.succeededFuture(text.toString())
                        : Future.failedFuture("probe failed: HTTP " + response.statusCode() + " " + text)));
        String text = Bench.await(reply, timeout, name + " probe");
        return toRow(name, count, text, (System.nanoTime() - started) / 1e9);
    }

    private static Row toRow(String name, int count, String text, double seconds) {
        JsonNode result;
        try {
            result = JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the probe returned invalid JSON: " + text, e);
        }
        JsonNode report = result.get("report");
        JsonNode latency = result.get("latency");

        Row row = new Row(name);
        row.events = report.get("expected").asLong();
        row.subscribers = 1;
        row.deliveries = report.get("received").asLong();
        row.lost = report.get("missingCount").asLong();
        row.duplicated = report.get("duplicateCount").asLong();
        row.reordered = report.get("inOrder").asBoolean() ? 0 : 1;
        row.corrupt = report.get("payloadMismatchCount").asLong();
        row.controlFrames = result.get("notices").size();

        row.p50 = latency.get("p50").asDouble();
        row.p99 = latency.get("p99").asDouble();
        row.max = latency.get("max").asDouble();
        row.seconds = seconds;
        row.deliveryRate = row.deliveries / seconds;
        row.emitRate = (count + 1) / seconds;

        row.notes.add("through POST /api/probes; latency measured inside the instance, "
                + "reordered counts 1 when the report's order did not hold");
        row.judge();
        if (result.get("timedOut").asBoolean()) {
            row.status = Row.Status.TIMEOUT;
        }
        return row;
    }
}
