package dev.orderly.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One result line of a workload. Latencies are end-to-end in milliseconds (frame received minus emit sent, both
 * from {@link System#nanoTime()} of this JVM) and NaN when the workload measures none.
 */
final class Row {

    enum Status { PASS, FAIL, TIMEOUT, ERROR, INFO }

    String workload;
    Status status = Status.PASS;
    String targets = "";
    long events;
    long subscribers;
    long deliveries;
    long lost;
    long duplicated;
    long reordered;
    /** Data frames whose id and JSON offset disagree, or whose payload differs from the emitted one. */
    long corrupt;
    /** {@code gap}, {@code reset} and {@code error} frames received. */
    long controlFrames;
    long emitFailures;
    double emitRate;
    double deliveryRate;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    double max = Double.NaN;
    double seconds;
    final List<String> notes = new ArrayList<>();

    Row(String workload) {
        this.workload = workload;
    }

    /** Sets the status from the counts: any loss, repeat, reorder, corrupt frame, notice or failed emit fails. */
    void judge() {
        if (status == Status.TIMEOUT || status == Status.ERROR || status == Status.INFO) {
            return;
        }
        boolean clean = lost == 0 && duplicated == 0 && reordered == 0 && corrupt == 0 && controlFrames == 0
                && emitFailures == 0;
        status = clean ? Status.PASS : Status.FAIL;
    }

    void latency(LatencyHistogram histogram) {
        p50 = histogram.percentileMillis(0.50);
        p99 = histogram.percentileMillis(0.99);
        max = histogram.maxMillis();
    }
}
