package dev.orderly.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.vertx.core.Future;

/** Subscribers of one workload, spread round-robin over the targets, with the aggregate of their checks. */
final class SubscriberGroup implements AutoCloseable {

    /** New connections opened at once, so a large group does not arrive as one burst of SYNs and history reads. */
    private static final int CONNECT_BATCH = 100;

    final List<Subscriber> subscribers = new ArrayList<>();

    /** Creates one subscriber per entry of {@code channels}; nothing connects until {@link #connectAll}. */
    SubscriberGroup(Bench bench, List<String> channels, Predicate<String> contentCheck) {
        List<Target> targets = bench.targets();
        for (int i = 0; i < channels.size(); i++) {
            subscribers.add(new Subscriber(bench.streams, targets.get(i % targets.size()), bench.authorization,
                    channels.get(i), contentCheck));
        }
    }

    /** Connects every subscriber, {@value #CONNECT_BATCH} at a time, and waits for all ready frames. */
    void connectAll(Duration timeout) throws Bench.TimeoutFailure {
        connectAll(timeout, CONNECT_BATCH);
    }

    /**
     * Connects (or reconnects with {@code Last-Event-ID}) every subscriber, {@code batch} at a time, and waits for
     * all ready frames.
     */
    void connectAll(Duration timeout, int batch) throws Bench.TimeoutFailure {
        long deadline = Bench.deadline(timeout);
        for (int start = 0; start < subscribers.size(); start += batch) {
            List<Future<Void>> readies = new ArrayList<>();
            for (Subscriber subscriber : subscribers.subList(start, Math.min(subscribers.size(), start + batch))) {
                readies.add(subscriber.connect());
            }
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Bench.await(Future.all(readies).map(ignored -> null), left,
                    "waiting for ready frames from " + subscribers.size() + " subscribers");
        }
    }

    /**
     * Waits until each subscriber has received every offset up to its channel's top, or the timeout passes.
     *
     * @param tops the last acknowledged offset of each subscriber's channel, by subscriber index
     * @return whether all caught up
     */
    boolean awaitDelivered(long[] tops, Duration timeout) throws InterruptedException {
        long deadline = Bench.deadline(timeout);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 0; i < subscribers.size() && all; i++) {
                all = subscribers.get(i).check().contiguous() >= tops[i];
            }
            if (all) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Adds every subscriber's counts and latencies to {@code row}, checking subscriber i against {@code tops[i]}. */
    void aggregate(Row row, long[] tops) {
        LatencyHistogram latency = new LatencyHistogram();
        Set<String> targets = new LinkedHashSet<>();
        Set<String> notes = new LinkedHashSet<>();
        long unexpected = 0;
        long unexpectedEnds = 0;
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber subscriber = subscribers.get(i);
            Subscriber.Counts counts = subscriber.counts(tops[i]);

            row.deliveries += counts.deliveries();
            row.lost += counts.lost();
            row.duplicated += counts.duplicated();
            row.reordered += counts.reordered();
            unexpected += counts.unexpected();
            row.corrupt += subscriber.malformed() + subscriber.corrupt();
            row.controlFrames += subscriber.controlFrames();
            unexpectedEnds += subscriber.unexpectedEnds();

            latency.add(subscriber.latency());
            targets.add(subscriber.target().toString());
            for (String note : subscriber.notices()) {
                if (notes.size() < 5) {
                    notes.add(note);
                }
            }
        }

        row.subscribers = subscribers.size();
        row.targets = String.join(",", targets);
        row.latency(latency);
        if (unexpected > 0) {
            row.notes.add(unexpected + " frames carried offsets above the last acknowledged emit");
            row.corrupt += unexpected;
        }
        if (unexpectedEnds > 0) {
            row.notes.add(unexpectedEnds + " streams were ended by the server");
        }
        row.notes.addAll(notes);
    }

    @Override
    public void close() {
        subscribers.forEach(Subscriber::close);
    }

    static long[] repeat(long top, int times) {
        long[] tops = new long[times];
        java.util.Arrays.fill(tops, top);
        return tops;
    }
}
