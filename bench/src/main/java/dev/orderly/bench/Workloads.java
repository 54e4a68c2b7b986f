package dev.orderly.bench;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** Shared steps of the workloads: run emits against a subscriber group, wait for delivery, fill in a row. */
final class Workloads {

    /** Time subscribers get after the last acknowledged emit to receive everything before the rest counts as lost. */
    static final Duration DRAIN = Duration.ofSeconds(15);
    static final Duration CONNECT = Duration.ofSeconds(60);
    /** Concurrent emits of the paced workloads, enough to keep 8,000 emits/s at a round trip of 4 ms. */
    static final int MAX_IN_FLIGHT = 32;

    private Workloads() {
    }

    /** Returns {@code count} random contents with sizes from {@code min} to {@code max}, index 0 unused. */
    static String[] contents(int count, int min, int max, long seed) {
        Random random = new Random(seed);
        String[] contents = new String[count + 1];
        for (int i = 1; i <= count; i++) {
            contents[i] = Payloads.content(random, min + random.nextInt(max - min + 1));
        }
        return contents;
    }

    /** Returns a check that a data frame's content is the one emitted with its sequence id. */
    static Predicate<String> sameContent(String[] contents) {
        return data -> {
            JsonNode event = Payloads.eventData(data);
            if (event == null) {
                return false;
            }
            long sequenceId = event.path("sequenceId").asLong(-1);
            return sequenceId >= 1 && sequenceId < contents.length
                    && contents[(int) sequenceId].equals(event.path("content").asText(null));
        };
    }

    /**
     * Waits for the subscribers, then fills {@code row} from the emit statistics and every subscriber's checks.
     *
     * @param tops the last acknowledged offset of each subscriber's channel, by subscriber index
     */
    static Row finish(Row row, SubscriberGroup group, Emitter.Stats stats, long[] tops) throws InterruptedException {
        boolean drained = group.awaitDelivered(tops, DRAIN);
        long end = System.nanoTime();

        row.events = stats.acknowledged;
        row.emitFailures = stats.failed;
        row.emitRate = stats.ratePerSecond();
        group.aggregate(row, tops);
        row.seconds = (end - stats.startNanos) / 1e9;
        row.deliveryRate = row.deliveries / Math.max(1e-9, row.seconds);

        if (stats.firstFailure != null) {
            row.notes.add(stats.failed + " emits failed, the first with: " + stats.firstFailure);
        }
        if (!drained) {
            row.notes.add("subscribers still missed events " + DRAIN.toSeconds()
                    + " s after the last emit; those count as lost");
        }
        if (stats.targetRate > 0 && row.emitRate < stats.targetRate * 0.9) {
            row.notes.add(String.format(java.util.Locale.ROOT, "emits reached %.0f/s of the %d/s aimed at, with %d in"
                    + " flight at most: the service responded to emits too slowly", row.emitRate, stats.targetRate,
                    MAX_IN_FLIGHT));
        }
        if (stats.sent < stats.planned) {
            row.notes.add("only " + stats.sent + " of " + stats.planned + " emits were sent in time");
        }

        row.judge();
        if (stats.outOfSequence > 0) {
            row.notes.add(stats.outOfSequence + " sequential emits were acknowledged with an offset other than the "
                    + "previous one plus 1");
            row.status = Row.Status.FAIL;
        }
        if (stats.timedOut) {
            row.notes.add("the emits exceeded their time bound; the checks above cover the " + stats.acknowledged
                    + " acknowledged emits and found them " + (row.status == Row.Status.PASS ? "clean" : "not clean"));
            row.status = Row.Status.TIMEOUT;
        }
        return row;
    }

    /**
     * Runs one subscriber on a new channel and emits {@code count} events to it one at a time, each awaited,
     * {@code delayMillis} apart.
     */
    static Row sequential(Bench bench, String name, int count, int minSize, int maxSize, long delayMillis,
            boolean checkContent, Duration timeout) throws Bench.TimeoutFailure, InterruptedException {
        String channel = bench.channel(name);
        String[] contents = contents(count, minSize, maxSize, name.hashCode());
        Predicate<String> check = checkContent ? sameContent(contents) : null;
        try (SubscriberGroup group = new SubscriberGroup(bench, List.of(channel), check)) {
            group.connectAll(CONNECT);
            Emitter.Stats stats = Bench.await(bench.emitter().sequential(channel, count, delayMillis,
                    sequenceId -> Payloads.emitBody(sequenceId, contents[(int) sequenceId]),
                    Bench.deadline(timeout)), timeout.plusSeconds(15), name + " emits");
            return finish(new Row(name), group, stats, stats.tops);
        }
    }

    /**
     * Runs {@code subscribers} subscribers on one new channel and emits {@code rate} events per second for
     * {@code durationMillis}, with up to {@link #MAX_IN_FLIGHT} emits in flight.
     */
    static Row fanOut(Bench bench, String name, int subscribers, long rate, long durationMillis, int contentSize)
            throws Bench.TimeoutFailure, InterruptedException {
        String channel = bench.channel(name);
        String content = Payloads.content(new Random(rate), contentSize);
        try (SubscriberGroup group = new SubscriberGroup(bench, java.util.Collections.nCopies(subscribers, channel),
                null)) {
            group.connectAll(CONNECT);
            Duration timeout = Duration.ofMillis(durationMillis * 3 + 10_000);
            Emitter.Stats stats = Bench.await(bench.emitter().paced(List.of(channel), rate, durationMillis,
                    MAX_IN_FLIGHT, sequenceId -> Payloads.emitBody(sequenceId, content), Bench.deadline(timeout)),
                    timeout.plusSeconds(15), name + " emits");
            return finish(new Row(name), group, stats, SubscriberGroup.repeat(stats.tops[0], subscribers));
        }
    }
}
