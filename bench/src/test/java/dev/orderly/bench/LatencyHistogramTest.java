package dev.orderly.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void exactBelowOneMillisecond() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int micros = 1; micros <= 100; micros++) {
            histogram.recordNanos(micros * 1000L);
        }

        assertEquals(0.050, histogram.percentileMillis(0.50), 1e-9);
        assertEquals(0.099, histogram.percentileMillis(0.99), 1e-9);
        assertEquals(0.100, histogram.maxMillis(), 1e-9);
    }

    @Test
    void largeValuesWithinTwoPercent() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.recordNanos(123_456_000L);

        double p50 = histogram.percentileMillis(0.5);
        assertTrue(Math.abs(p50 - 123.456) / 123.456 < 0.02, "p50 was " + p50);
    }

    @Test
    void bucketBoundsCoverTheirValues() {
        for (long micros : new long[] {0, 1023, 1024, 1025, 5_000, 65_535, 1_000_000, 987_654_321}) {
            int index = LatencyHistogram.index(micros);
            assertTrue(LatencyHistogram.upperBound(index) >= micros, "upper bound of " + micros);
            assertTrue(index == 0 || LatencyHistogram.upperBound(index - 1) < micros, "lower bound of " + micros);
        }
    }
}
