package dev.orderly.error;

import java.util.List;

/**
 * A reproduction run stopped at its first failed emit. It carries how far the run got, so the client knows
 * which events were emitted; no event after the failed one was attempted.
 */
public class RunInterruptedException extends RuntimeException {

    private final String runId;
    private final List<Long> emitted;

    public RunInterruptedException(String runId, int total, List<Long> emitted, Throwable cause) {
        super("Run " + runId + " stopped after emitting " + emitted.size() + " of " + total + " events: "
                + cause.getMessage(), cause);
        this.runId = runId;
        this.emitted = List.copyOf(emitted);
    }

    public String runId() {
        return runId;
    }

    /** Offsets of the events emitted before the failure, in sequence id order. */
    public List<Long> emitted() {
        return emitted;
    }
}
