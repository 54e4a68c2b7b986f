package dev.orderly.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;

/** Counts requests rejected by a configured limit, as {@code orderly_requests_rejected_total{limit=...}}. */
@ApplicationScoped
public class Rejections {

    public static final String BODY_SIZE = "body-size";
    public static final String EVENT_SIZE = "event-size";
    public static final String EMIT_RATE = "emit-rate";
    public static final String CONNECTIONS = "connections";
    public static final String CONNECTIONS_PER_ADDRESS = "connections-per-address";
    public static final String REPRODUCTION_DISABLED = "reproduction-disabled";

    private final MeterRegistry meters;

    @Inject
    public Rejections(MeterRegistry meters) {
        this.meters = meters;
    }

    public void count(String limit) {
        meters.counter("orderly.requests.rejected", "limit", limit).increment();
    }
}
