package dev.orderly.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/** Context shared by every workload: the options, the Vert.x instances, the HTTP clients and a run id for names. */
final class Bench implements AutoCloseable {

    /** Raised when a workload exceeds its time bound. */
    static final class TimeoutFailure extends Exception {
        TimeoutFailure(String message) {
            super(message);
        }
    }

    final Options options;
    final Vertx vertx;
    /**
     * Emits run on their own event loop, so a send is not delayed behind frames that subscribers are parsing,
     * which would add client time to the measured latency.
     */
    final Vertx emitVertx;
    /** SSE streams: one HTTP/1.1 connection each, so the pool must hold every subscriber of a target. */
    final HttpClient streams;
    /** Emits: a small keep-alive pool. */
    final HttpClient emits;
    final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    /** The {@code Authorization} header every request to an instance sends, or null when tokens are off. */
    final String authorization;

    Bench(Options options) {
        this.options = options;
        this.authorization = options.tokenSecret == null ? null : AccessToken.bearer(options.tokenSecret);
        this.vertx = Vertx.vertx();
        this.streams = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000)
                .setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(20_000));
        this.emitVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        this.emits = emitVertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(64));
    }

    Emitter emitter() {
        return new Emitter(emitVertx, emits, options.targets.get(0), authorization);
    }

    /** Returns a channel name unique to this run and workload. */
    String channel(String workload) {
        // Channel names allow letters, digits and ": _ - ." only.
        return "bench-" + runId + "-" + workload.replaceAll("[^A-Za-z0-9:_.-]", "-");
    }

    String targetNames() {
        return String.join(",", options.targets.stream().map(Target::toString).toList());
    }

    List<Target> targets() {
        return options.targets;
    }

    long scaled(long count) {
        return Math.max(1, Math.round(count * options.scale));
    }

    /** Waits for {@code future} on the calling thread, which must not be an event loop. */
    static <T> T await(Future<T> future, Duration timeout, String what) throws TimeoutFailure {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutFailure(what + " timed out after " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }

    static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    @Override
    public void close() {
        await(emitVertx.close());
        await(vertx.close());
    }

    private static void await(Future<Void> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("Closing Vert.x failed: " + e);
        }
    }
}
