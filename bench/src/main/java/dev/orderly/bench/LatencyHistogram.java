package dev.orderly.bench;

/**
 * Latency counts in microseconds: exact below 1,024 µs, then 64 buckets per power of two (under 1.6% error).
 * Not thread-safe: each subscriber records into its own histogram, and results are merged afterwards.
 */
final class LatencyHistogram {

    private static final int LINEAR = 1024;
    private static final int SUB_BITS = 6;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int BUCKETS = LINEAR + (63 - 10) * SUB_BUCKETS;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long maxMicros;

    void recordNanos(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        counts[index(micros)]++;
        total++;
        maxMicros = Math.max(maxMicros, micros);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        maxMicros = Math.max(maxMicros, other.maxMicros);
    }

    long count() {
        return total;
    }

    /** Returns the latency at quantile {@code q} (0 to 1) in milliseconds, or NaN without samples. */
    double percentileMillis(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), maxMicros) / 1000.0;
            }
        }
        return maxMicros / 1000.0;
    }

    double maxMillis() {
        return total == 0 ? Double.NaN : maxMicros / 1000.0;
    }

    static int index(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) ((micros >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1));
        return LINEAR + (exponent - 10) * SUB_BUCKETS + sub;
    }

    /** Returns the largest value in microseconds that falls into bucket {@code index}. */
    static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exponent = (index - LINEAR) / SUB_BUCKETS + 10;
        int sub = (index - LINEAR) % SUB_BUCKETS;
        long width = 1L << (exponent - SUB_BITS);
        return (1L << exponent) + (sub + 1) * width - 1;
    }
}
