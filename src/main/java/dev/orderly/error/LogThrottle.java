package dev.orderly.error;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Limits a repeated log line to a number per second, so a flood of bad requests cannot flood the log. Lines left
 * out are counted, and the count is reported with the next line that is logged.
 */
final class LogThrottle {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int linesPerSecond;
    private final LongSupplier nanoClock;

    // Guarded by this.
    private long windowStart;
    private int loggedInWindow;
    private long leftOut;

    LogThrottle(int linesPerSecond, LongSupplier nanoClock) {
        this.linesPerSecond = linesPerSecond;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
    }

    /**
     * Decides whether the caller may log its line now.
     *
     * @return -1 when the line must be left out, otherwise the number of lines left out since the last one logged
     */
    synchronized long permit() {
        long now = nanoClock.getAsLong();
        if (now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            loggedInWindow = 0;
        }
        if (loggedInWindow >= linesPerSecond) {
            leftOut++;
            return -1;
        }
        loggedInWindow++;
        long reported = leftOut;
        leftOut = 0;
        return reported;
    }
}
