package dev.orderly.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** W4 (fan-out and its rate search), W5 (many channels) and W6 (reconnect storm). */
final class ScaleWorkloads {

    private static final double P99_LIMIT_MS = 100;
    /**
     * Wall-clock time of the W4 rate search, before scaling: no step starts when its emitting time would end past
     * it, but a step that started may run over while its subscribers connect and drain.
     */
    private static final long SEARCH_BUDGET_MILLIS = 60_000;
    private static final int CONTENT_SIZE = 32;

    private ScaleWorkloads() {
    }

    /** W4: one channel, many subscribers, 1,000 events/s; then a bounded search for the highest rate under p99. */
    static List<Row> fanOut(Bench bench) throws Bench.TimeoutFailure, InterruptedException {
        List<Row> rows = new ArrayList<>();
        int subscribers = bench.options.subscribers;
        rows.add(Workloads.fanOut(bench, "W4", subscribers, 1000, bench.scaled(10_000), CONTENT_SIZE));
        rows.get(0).notes.add(subscribers + " subscribers spread round-robin over " + bench.targetNames()
                + ", emits sent to " + bench.targets().get(0));

        long stepMillis = Math.max(1000, bench.scaled(4_000));
        long budget = bench.scaled(SEARCH_BUDGET_MILLIS);
        long best = passes(rows.get(0), 1000) ? 1000 : 0;
        // Upward from the W4 run itself while the rate holds, otherwise downward until one does.
        boolean upward = best > 0;
        List<Long> rates = upward ? List.of(2000L, 4000L, 8000L) : List.of(500L, 250L, 125L, 60L);
        long searchStart = System.nanoTime();
        for (long rate : rates) {
            long spent = (System.nanoTime() - searchStart) / 1_000_000;
            if (spent + stepMillis > budget) {
                rows.get(0).notes.add("the rate search stopped at its time budget of " + budget / 1000 + " s");
                break;
            }
            Row step = fanOutStep(bench, "W4-" + rate + "/s", subscribers, rate, stepMillis);
            rows.add(step);
            boolean passed = passes(step, rate);
            if (passed) {
                best = Math.max(best, rate);
            }
            if (upward ? !passed : passed) {
                break;
            }
        }
        Row summary = new Row("W4-max-rate");
        summary.status = Row.Status.INFO;
        summary.subscribers = subscribers;
        summary.targets = bench.targetNames();
        summary.emitRate = best;
        summary.deliveryRate = (double) best * subscribers;
        summary.notes.add(best > 0
                ? String.format(Locale.ROOT, "highest tested rate with p99 under %.0f ms and nothing lost: %d events/s"
                        + " to %d subscribers on %s", P99_LIMIT_MS, best, subscribers, bench.targetNames())
                : "no tested rate kept p99 under " + (long) P99_LIMIT_MS + " ms with nothing lost, with " + subscribers
                        + " subscribers on " + bench.targetNames());
        rows.add(summary);
        return rows;
    }

    /** Runs one step of the search; a step that fails to run becomes an error row, so earlier rows are kept. */
    private static Row fanOutStep(Bench bench, String name, int subscribers, long rate, long stepMillis)
            throws InterruptedException {
        try {
            return Workloads.fanOut(bench, name, subscribers, rate, stepMillis, CONTENT_SIZE);
        } catch (Bench.TimeoutFailure | IllegalStateException e) {
            Row row = new Row(name);
            row.status = e instanceof Bench.TimeoutFailure ? Row.Status.TIMEOUT : Row.Status.ERROR;
            row.notes.add(e.getMessage());
            return row;
        }
    }

    /** Returns whether a step kept its rate with p99 under the limit and nothing lost, repeated or reordered. */
    private static boolean passes(Row step, long rate) {
        return step.status == Row.Status.PASS && step.p99 < P99_LIMIT_MS && step.emitRate >= rate * 0.9;
    }

    /** W5: many channels with one subscriber each, 5,000 events/s in total, round-robin over the channels. */
    static Row manyChannels(Bench bench) throws Bench.TimeoutFailure, InterruptedException {
        int channelCount = bench.options.channels;
        List<String> channels = new ArrayList<>(channelCount);
        for (int i = 0; i < channelCount; i++) {
            channels.add(bench.channel("W5-" + i));
        }
        String content = Payloads.content(new Random(5), CONTENT_SIZE);
        long durationMillis = bench.scaled(10_000);
        try (SubscriberGroup group = new SubscriberGroup(bench, channels, null)) {
            group.connectAll(Workloads.CONNECT);
            Duration timeout = Duration.ofMillis(durationMillis * 3 + 10_000);
            Emitter.Stats stats = Bench.await(bench.emitter().paced(channels, 5000, durationMillis,
                    Workloads.MAX_IN_FLIGHT, sequenceId -> Payloads.emitBody(sequenceId, content),
                    Bench.deadline(timeout)), timeout.plusSeconds(15), "W5 emits");
            return Workloads.finish(new Row("W5"), group, stats, stats.tops);
        }
    }

    /**
     * W6: subscribers on one channel while events flow at 500/s. After a third of the run the client closes every
     * connection and reopens it at once with {@code Last-Event-ID}. Catch-up time runs from the cut until every
     * subscriber has received each offset acknowledged by the time the last of them was ready again.
     */
    static Row reconnectStorm(Bench bench) throws Bench.TimeoutFailure, InterruptedException {
        int subscribers = bench.options.subscribers;
        String channel = bench.channel("W6");
        String content = Payloads.content(new Random(6), CONTENT_SIZE);
        long durationMillis = Math.max(3000, bench.scaled(6_000));
        try (SubscriberGroup group = new SubscriberGroup(bench, Collections.nCopies(subscribers, channel), null)) {
            group.connectAll(Workloads.CONNECT);
            Duration timeout = Duration.ofMillis(durationMillis * 3 + 30_000);
            Emitter.Stats running = new Emitter.Stats();
            var emits = bench.emitter().paced(List.of(channel), 500, durationMillis, Workloads.MAX_IN_FLIGHT,
                    sequenceId -> Payloads.emitBody(sequenceId, content), Bench.deadline(timeout), running);
            Thread.sleep(durationMillis / 3);

            for (Subscriber subscriber : group.subscribers) {
                subscriber.cut();
            }
            long cutAt = System.nanoTime();
            long cutOffset = running.lastOffset;
            // All at once, as after a network cut or a restarted load balancer.
            group.connectAll(Workloads.CONNECT, subscribers);
            long reconnectedAt = System.nanoTime();
            // Caught up means having every event acknowledged by the time the last subscriber was ready again.
            long catchUpOffset = running.lastOffset;
            for (Subscriber subscriber : group.subscribers) {
                subscriber.expectCatchUp(catchUpOffset);
            }
            long caughtUp = awaitCaughtUp(group, Workloads.DRAIN);

            Emitter.Stats stats = Bench.await(emits, timeout.plusSeconds(15), "W6 emits");
            Row row = Workloads.finish(new Row("W6"), group, stats, SubscriberGroup.repeat(stats.tops[0],
                    subscribers));
            row.notes.add(String.format(Locale.ROOT, "cut %d connections after offset %d; all were ready again"
                    + " %.0f ms after the cut", subscribers, cutOffset, (reconnectedAt - cutAt) / 1e6));
            if (caughtUp > 0) {
                row.notes.add(String.format(Locale.ROOT, "all had received offsets 1 to %d (acknowledged when the"
                        + " last was ready) %.0f ms after the cut", catchUpOffset, (caughtUp - cutAt) / 1e6));
            } else {
                row.notes.add("not all subscribers received offsets 1 to " + catchUpOffset + " within "
                        + Workloads.DRAIN.toSeconds() + " s of reconnecting");
                row.status = Row.Status.FAIL;
            }
            return row;
        }
    }

    /** Returns the time the last subscriber caught up, or 0 when some did not within {@code timeout}. */
    private static long awaitCaughtUp(SubscriberGroup group, Duration timeout) throws InterruptedException {
        long deadline = Bench.deadline(timeout);
        while (System.nanoTime() < deadline) {
            long latest = 0;
            boolean all = true;
            for (Subscriber subscriber : group.subscribers) {
                long at = subscriber.caughtUpAt();
                if (at == 0) {
                    all = false;
                    break;
                }
                latest = Math.max(latest, at);
            }
            if (all) {
                return latest;
            }
            Thread.sleep(10);
        }
        return 0;
    }
}
