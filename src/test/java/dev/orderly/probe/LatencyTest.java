package dev.orderly.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Latency}: nearest-rank percentiles of delivery latencies. */
class LatencyTest {

    @Test
    void computesNearestRankPercentiles() {
        List<Long> millis = new ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            millis.add(i);
        }
        Collections.shuffle(millis);

        assertEquals(new Latency(50L, 90L, 99L, 100L), Latency.of(millis));
    }

    @Test
    void singleValueIsEveryPercentile() {
        assertEquals(new Latency(7L, 7L, 7L, 7L), Latency.of(List.of(7L)));
    }

    @Test
    void tailPercentilesOfSmallSampleAreMax() {
        assertEquals(new Latency(2L, 4L, 4L, 4L), Latency.of(List.of(4L, 1L, 3L, 2L)));
    }

    @Test
    void noValuesGiveNulls() {
        assertEquals(new Latency(null, null, null, null), Latency.of(List.of()));
    }
}
