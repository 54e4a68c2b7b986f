package dev.orderly.bench;

import java.util.BitSet;

/**
 * Checks one subscriber's data frames of one channel: each offset from 1 to the channel's last acknowledged
 * offset must arrive exactly once, in increasing order. The service assigns the offsets, so the check does not
 * depend on the order in which concurrent emits reached Redis.
 */
final class DeliveryCheck {

    private final BitSet seen = new BitSet();
    private long deliveries;
    private long duplicated;
    private long reordered;
    private long highest;
    /** Every offset from 1 to this one has arrived. Read by the thread that waits for subscribers to catch up. */
    private volatile long contiguous;

    /** Records one data frame's offset. */
    void record(long offset) {
        deliveries++;
        if (offset <= 0 || offset > Integer.MAX_VALUE) {
            reordered++;
            return;
        }
        int index = (int) offset;
        if (seen.get(index)) {
            duplicated++;
            return;
        }
        seen.set(index);
        if (offset < highest) {
            reordered++;
        } else {
            highest = offset;
        }
        if (offset == contiguous + 1) {
            contiguous = seen.nextClearBit(index) - 1L;
        }
    }

    long contiguous() {
        return contiguous;
    }

    long deliveries() {
        return deliveries;
    }

    long duplicated() {
        return duplicated;
    }

    /** Frames that arrived after a frame with a higher offset (or carried an offset below 1). */
    long reordered() {
        return reordered;
    }

    /** Returns how many offsets from 1 to {@code top} never arrived. */
    long lost(long top) {
        if (top <= 0) {
            return 0;
        }
        return top - seen.get(1, (int) top + 1).cardinality();
    }

    /** Returns how many distinct offsets above {@code top} arrived, which no acknowledged emit produced. */
    long unexpected(long top) {
        return seen.get((int) top + 1, Math.max((int) top + 1, seen.length())).cardinality();
    }
}
