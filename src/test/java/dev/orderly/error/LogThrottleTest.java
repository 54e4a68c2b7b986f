package dev.orderly.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The limit on repeated log lines, with a clock the test moves by hand. */
class LogThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void limitsLinesPerSecond() {
        AtomicLong clock = new AtomicLong(5 * SECOND);
        LogThrottle throttle = new LogThrottle(3, clock::get);

        assertEquals(0, throttle.permit());
        assertEquals(0, throttle.permit());
        assertEquals(0, throttle.permit());
        assertEquals(-1, throttle.permit());
        assertEquals(-1, throttle.permit());
    }

    @Test
    void reportsLeftOutLinesNextSecond() {
        AtomicLong clock = new AtomicLong(0);
        LogThrottle throttle = new LogThrottle(2, clock::get);
        for (int i = 0; i < 7; i++) {
            throttle.permit();
        }

        clock.addAndGet(SECOND);

        assertEquals(5, throttle.permit());
        assertEquals(0, throttle.permit());
        assertEquals(-1, throttle.permit());
    }

    @Test
    void windowNeedsWholeSecond() {
        AtomicLong clock = new AtomicLong(0);
        LogThrottle throttle = new LogThrottle(1, clock::get);
        throttle.permit();

        clock.addAndGet(SECOND - 1);

        assertEquals(-1, throttle.permit());
        clock.addAndGet(1);
        assertEquals(1, throttle.permit());
    }
}
