package dev.orderly.bench;

import java.util.List;
import java.util.function.LongFunction;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Sends emits ({@code POST /api/channels/{channel}/events}) to one instance, either one at a time or at a fixed
 * rate with a bounded number in flight. All of a run's emits are sent from one Vert.x context, so its state needs
 * no locks.
 */
final class Emitter {

    /** Outcome of a run of emits. {@code tops[i]} is the highest offset acknowledged on {@code channels[i]}. */
    static final class Stats {
        long planned;
        /** The rate a paced run aimed at, in emits per second; 0 for sequential runs. */
        long targetRate;
        long sent;
        long acknowledged;
        long failed;
        /** Sequential runs only: acknowledgements whose offset was not the previous one plus 1. */
        long outOfSequence;
        String firstFailure;
        long startNanos;
        long endNanos;
        boolean timedOut;
        long[] tops;
        /** The offset of the latest acknowledgement, readable from other threads while the run goes on. */
        volatile long lastOffset;

        double ratePerSecond() {
            double seconds = (endNanos - startNanos) / 1e9;
            return seconds <= 0 ? 0 : acknowledged / seconds;
        }
    }

    /** An emit whose response does not progress for this long fails, so no run waits forever. */
    private static final long EMIT_TIMEOUT_MILLIS = 30_000;
    private static final long IN_FLIGHT_GRACE_NANOS = 10_000_000_000L;

    private final Vertx vertx;
    private final HttpClient client;
    private final Target target;
    private final String authorization;

    /** @param authorization the {@code Authorization} header each emit sends, or null for none */
    Emitter(Vertx vertx, HttpClient client, Target target, String authorization) {
        this.authorization = authorization;
        this.vertx = vertx;
        this.client = client;
        this.target = target;
    }

    /** Sends one emit and returns the offset the service assigned. */
    Future<Long> emit(String channel, String body) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.host())
                .setPort(target.port())
                .setURI("/api/channels/" + channel + "/events")
                .setIdleTimeout(EMIT_TIMEOUT_MILLIS)
                .putHeader("Content-Type", "application/json");
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().compose(responseBody -> {
                    String text = responseBody.toString();
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("emit to " + channel + " failed: HTTP " + response.statusCode()
                                + " " + abbreviate(text));
                    }
                    String offset = Payloads.offsetOfEmitResponse(text);
                    if (offset == null) {
                        return Future.failedFuture("emit to " + channel + " returned no offset: " + abbreviate(text));
                    }
                    return Future.succeededFuture(Long.parseLong(offset));
                }));
    }

    /**
     * Emits {@code count} events to one channel, each awaited before the next and {@code delayMillis} after it.
     * The channel must be new, so the service must acknowledge offsets 1 to {@code count} in order.
     */
    Future<Stats> sequential(String channel, int count, long delayMillis, LongFunction<String> body,
            long deadlineNanos) {
        Stats stats = new Stats();
        stats.planned = count;
        stats.tops = new long[1];
        Promise<Stats> done = Promise.promise();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> {
            stats.startNanos = System.nanoTime();
            sendNext(channel, count, delayMillis, body, deadlineNanos, stats, done);
        });
        return done.future();
    }

    private void sendNext(String channel, int count, long delayMillis, LongFunction<String> body,
            long deadlineNanos, Stats stats, Promise<Stats> done) {
        if (stats.sent == count || System.nanoTime() > deadlineNanos) {
            stats.timedOut = stats.sent < count;
            stats.endNanos = System.nanoTime();
            done.complete(stats);
            return;
        }
        stats.sent++;
        long sequenceId = stats.sent;
        emit(channel, body.apply(sequenceId)).onComplete(result -> {
            if (result.succeeded()) {
                stats.acknowledged++;
                if (result.result() != stats.tops[0] + 1) {
                    stats.outOfSequence++;
                }
                stats.tops[0] = Math.max(stats.tops[0], result.result());
                stats.lastOffset = stats.tops[0];
            } else {
                recordFailure(stats, result.cause());
            }
            if (delayMillis > 0) {
                vertx.setTimer(delayMillis, id -> sendNext(channel, count, delayMillis, body, deadlineNanos, stats,
                        done));
            } else {
                sendNext(channel, count, delayMillis, body, deadlineNanos, stats, done);
            }
        });
    }

    /**
     * Emits {@code ratePerSecond} events per second for {@code durationMillis}, round-robin over
     * {@code channels}, with at most {@code maxInFlight} without a response. When the service responds too slowly to keep
     * the rate, emits are sent late rather than dropped, and {@link Stats#ratePerSecond} shows the real rate.
     */
    Future<Stats> paced(List<String> channels, long ratePerSecond, long durationMillis, int maxInFlight,
            LongFunction<String> body, long deadlineNanos) {
        return paced(channels, ratePerSecond, durationMillis, maxInFlight, body, deadlineNanos, new Stats());
    }

    /** Same as the other {@code paced}, filling {@code stats}, whose {@link Stats#lastOffset} others may watch. */
    Future<Stats> paced(List<String> channels, long ratePerSecond, long durationMillis, int maxInFlight,
            LongFunction<String> body, long deadlineNanos, Stats stats) {
        stats.targetRate = ratePerSecond;
        stats.planned = ratePerSecond * durationMillis / 1000;
        stats.tops = new long[channels.size()];
        Promise<Stats> done = Promise.promise();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> new PacedRun(channels, ratePerSecond, maxInFlight, body, deadlineNanos,
                stats, done).start());
        return done.future();
    }

    /** State of one paced run; all its methods run on the run's context. */
    private final class PacedRun {
        private final List<String> channels;
        private final long ratePerSecond;
        private final int maxInFlight;
        private final LongFunction<String> body;
        private final long deadlineNanos;
        private final Stats stats;
        private final Promise<Stats> done;
        private int inFlight;
        private long timer;
        private boolean stopping;

        PacedRun(List<String> channels, long ratePerSecond, int maxInFlight, LongFunction<String> body,
                long deadlineNanos, Stats stats, Promise<Stats> done) {
            this.channels = channels;
            this.ratePerSecond = ratePerSecond;
            this.maxInFlight = maxInFlight;
            this.body = body;
            this.deadlineNanos = deadlineNanos;
            this.stats = stats;
            this.done = done;
        }

        void start() {
            stats.startNanos = System.nanoTime();
            timer = vertx.setPeriodic(1, id -> pump());
            pump();
        }

        private void pump() {
            if (done.future().isComplete()) {
                return;
            }
            long now = System.nanoTime();
            if (stopping) {
                // After the deadline nothing new is sent, and the run ends once the emits in flight have responses,
                // so the acknowledged offsets it reports are final.
                if (inFlight == 0 || now > deadlineNanos + IN_FLIGHT_GRACE_NANOS) {
                    finish(true);
                }
                return;
            }
            if (now > deadlineNanos) {
                stopping = true;
                pump();
                return;
            }
            long due = Math.min(stats.planned, (now - stats.startNanos) * ratePerSecond / 1_000_000_000L);
            while (stats.sent < due && inFlight < maxInFlight) {
                sendOne();
            }
            if (stats.sent == stats.planned && inFlight == 0) {
                finish(false);
            }
        }

        private void sendOne() {
            int channel = (int) (stats.sent % channels.size());
            stats.sent++;
            inFlight++;
            emit(channels.get(channel), body.apply(stats.sent)).onComplete(result -> {
                inFlight--;
                if (result.succeeded()) {
                    stats.acknowledged++;
                    stats.tops[channel] = Math.max(stats.tops[channel], result.result());
                    stats.lastOffset = Math.max(stats.lastOffset, result.result());
                } else {
                    recordFailure(stats, result.cause());
                }
                pump();
            });
        }

        private void finish(boolean timedOut) {
            vertx.cancelTimer(timer);
            stats.timedOut = timedOut;
            stats.endNanos = System.nanoTime();
            done.tryComplete(stats);
        }
    }

    private static void recordFailure(Stats stats, Throwable failure) {
        stats.failed++;
        if (stats.firstFailure == null) {
            stats.firstFailure = failure.getMessage();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
