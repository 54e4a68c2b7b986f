package dev.orderly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

/**
 * Baseline: the service's append script called straight from Java, one call at a time, each awaited. It bounds
 * what a sequential emitter can reach through the service, whose emits each run this script once.
 */
final class RedisBaseline {

    private static final int CALLS = 20_000;

    private RedisBaseline() {
    }

    static Row run(Bench bench) throws IOException, Bench.TimeoutFailure {
        String script = Files.readString(bench.options.appendScript);
        long calls = bench.scaled(CALLS);
        String channel = bench.channel("baseline");
        // The script's KEYS (meta hash, log stream) and its live pub/sub channel, all with the channel's hash tag.
        String meta = "orderly:{" + channel + "}:meta";
        String log = "orderly:{" + channel + "}:log";
        String live = "orderly:{" + channel + "}:live";
        String data = "{\"type\":\"content\",\"data\":{\"messageId\":\"baseline\",\"sequenceId\":1,\"content\":\""
                + Payloads.content(new java.util.Random(0), 100) + "\"}}";

        Redis client = Redis.createClient(bench.vertx, new RedisOptions()
                .setConnectionString(bench.options.redis.toString()));
        Duration timeout = Duration.ofSeconds(Math.max(30, calls / 500));
        try {
            RedisConnection connection = Bench.await(client.connect(), Duration.ofSeconds(10),
                    "connecting to Redis at " + bench.options.redis);
            String sha = Bench.await(connection.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script)),
                    Duration.ofSeconds(10), "SCRIPT LOAD").toString();
            LatencyHistogram latency = new LatencyHistogram();
            Promise<Long> done = Promise.promise();
            long start = System.nanoTime();
            long deadline = Bench.deadline(timeout);
            // Runs on the connection's context: each call is sent when the previous reply arrived.
            bench.vertx.runOnContext(ignored -> callNext(connection, sha, new String[] {meta, log, live}, data,
                    calls, 0, latency, deadline, done));
            long completed = Bench.await(done.future(), timeout.plusSeconds(5), "baseline calls");
            long end = System.nanoTime();
            Bench.await(connection.send(Request.cmd(Command.DEL).arg(meta).arg(log)), Duration.ofSeconds(10),
                    "deleting the baseline keys");
            connection.close();

            Row row = new Row("baseline");
            row.status = completed == calls ? Row.Status.INFO : Row.Status.TIMEOUT;
            row.targets = bench.options.redis.toString();
            row.events = completed;
            row.seconds = (end - start) / 1e9;
            row.emitRate = completed / row.seconds;
            row.latency(latency);
            row.notes.add("EVALSHA of " + bench.options.appendScript + " (2 KEYS, 8 ARGV, 100-character content), "
                    + "each awaited; latencies are Redis round trips");
            return row;
        } finally {
            client.close();
        }
    }

    private static void callNext(RedisConnection connection, String sha, String[] keys, String data, long calls,
            long completed, LatencyHistogram latency, long deadline, Promise<Long> done) {
        if (completed == calls || System.nanoTime() > deadline) {
            done.complete(completed);
            return;
        }
        long sentAt = System.nanoTime();
        Request call = Request.cmd(Command.EVALSHA).arg(sha).arg(2).arg(keys[0]).arg(keys[1])
                .arg("generate.event")
                .arg(data)
                .arg(System.currentTimeMillis())
                .arg(10_000)
                .arg(3600)
                .arg("00000000000b3c4e")
                // The publish command, PUBLISH as the service uses on a single Redis, and the live channel.
                .arg("PUBLISH")
                .arg(keys[2]);
        Future<?> reply = connection.send(call);
        reply.onComplete(result -> {
            if (result.failed()) {
                done.fail(result.cause());
                return;
            }
            latency.recordNanos(System.nanoTime() - sentAt);
            callNext(connection, sha, keys, data, calls, completed + 1, latency, deadline, done);
        });
    }
}
