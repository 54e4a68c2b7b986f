package dev.orderly.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads the service's Micrometer counters in tests, from the registry the running application uses. */
public final class Meters {

    private Meters() {
    }

    /**
     * Returns the count of counter {@code name} with {@code tags} (name and value pairs), or 0 before the counter
     * is first incremented, since tagged counters are created then.
     */
    public static double count(MeterRegistry meters, String name, String... tags) {
        Counter counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
