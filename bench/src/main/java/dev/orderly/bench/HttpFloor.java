package dev.orderly.bench;

import java.time.Duration;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The floor under W3: awaited HTTP round trips to the first target that do no work in the service, a
 * {@code GET} of the test page's icon, sent one at a time through the same client and event loop as W3's emits.
 * W3 cannot be faster than this, whatever the service does per emit.
 */
final class HttpFloor {

    private static final long REQUESTS = 20_000;

    private HttpFloor() {
    }

    static Row run(Bench bench) throws Bench.TimeoutFailure {
        Target target = bench.targets().get(0);
        long requests = bench.scaled(REQUESTS);
        LatencyHistogram latency = new LatencyHistogram();
        Promise<Long> done = Promise.promise();
        Duration timeout = Duration.ofSeconds(Math.max(30, requests / 500));
        long deadline = Bench.deadline(timeout);
        long start = System.nanoTime();
        bench.emitVertx.runOnContext(ignored -> next(bench, target, requests, 0, latency, deadline, done));
        long completed = Bench.await(done.future(), timeout.plusSeconds(5), "HTTP floor requests");
        double seconds = (System.nanoTime() - start) / 1e9;

        Row row = new Row("http-floor");
        row.status = completed == requests ? Row.Status.INFO : Row.Status.TIMEOUT;
        row.targets = target.toString();
        row.events = completed;
        row.seconds = seconds;
        row.emitRate = completed / seconds;
        row.latency(latency);
        row.notes.add("GET /favicon.svg one at a time through the emit client; the ceiling of any awaited HTTP "
                + "request to this instance from this client");
        return row;
    }

    private static void next(Bench bench, Target target, long requests, long completed, LatencyHistogram latency,
            long deadline, Promise<Long> done) {
        if (completed == requests || System.nanoTime() > deadline) {
            done.complete(completed);
            return;
        }
        long sentAt = System.nanoTime();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(target.host())
                .setPort(target.port())
                .setURI("/favicon.svg");
        Future<?> reply = bench.emits.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body());
        reply.onComplete(result -> {
            if (result.failed()) {
                done.fail(result.cause());
                return;
            }
            latency.recordNanos(System.nanoTime() - sentAt);
            next(bench, target, requests, completed + 1, latency, deadline, done);
        });
    }
}
