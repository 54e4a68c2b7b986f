package dev.orderly.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.orderly.testrun.TestRunRequest;

/** {@link ProbeService#waitLimit}: how long a probe waits for its run, from its size and delay. */
class ProbeWaitLimitTest {

    private static final Duration MARGIN = Duration.ofSeconds(15);

    @Test
    void defaultProbeWaitsRunTimePlusMargin() {
        TestRunRequest run = ProbeRequest.DEFAULTS.toRunRequest("x");

        // 101 events × (5 ms delay + 10 ms allowance) = 1515 ms.
        assertEquals(Duration.ofMillis(1515).plus(MARGIN), ProbeService.waitLimit(run, MARGIN));
    }

    @Test
    void longRunIsCapped() {
        TestRunRequest run = new TestRunRequest("x", 10_000, 1, 5000, 30);

        assertEquals(ProbeService.MAX_RUN_DURATION.plus(MARGIN), ProbeService.waitLimit(run, MARGIN));
    }
}
