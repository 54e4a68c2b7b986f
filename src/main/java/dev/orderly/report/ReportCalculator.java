package dev.orderly.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.orderly.testrun.RunRecord;

/** Computes a {@link DeliveryReport} by comparing a client's arrivals with what the run sent. */
public final class ReportCalculator {

    private ReportCalculator() {
    }

    public static DeliveryReport compute(RunRecord run, List<Arrival> arrivals) {
        int expected = run.expected();
        boolean[] seen = new boolean[expected + 1];
        Set<Long> duplicates = new LinkedHashSet<>();
        Set<Long> unexpected = new LinkedHashSet<>();
        List<Long> order = new ArrayList<>(arrivals.size());
        List<EventReport> rows = new ArrayList<>(arrivals.size());
        boolean inOrder = true;
        long previous = 0;
        int mismatches = 0;

        for (int i = 0; i < arrivals.size(); i++) {
            Arrival arrival = arrivals.get(i);
            long id = arrival.sequenceId();
            order.add(id);
            inOrder &= id > previous;
            previous = id;
            boolean known = id <= expected;
            if (!known) {
                unexpected.add(id);
            } else if (seen[(int) id]) {
                duplicates.add(id);
            } else {
                seen[(int) id] = true;
            }
            Integer sentSize = known ? run.sizes().get((int) id - 1) : null;
            boolean match = known && arrival.type().equals(typeOf(run, id))
                    && arrival.size().equals(sentSize)
                    && arrival.hash().equals(run.hashes().get((int) id - 1));
            if (!match) {
                mismatches++;
            }
            rows.add(new EventReport(i + 1, id, arrival.type(), sentSize, arrival.size(), match));
        }

        List<Long> missing = new ArrayList<>();
        for (int id = 1; id <= expected; id++) {
            if (!seen[id]) {
                missing.add((long) id);
                rows.add(new EventReport(null, id, typeOf(run, id), run.sizes().get(id - 1), null, false));
            }
        }

        boolean clean = missing.isEmpty() && duplicates.isEmpty() && unexpected.isEmpty() && inOrder
                && mismatches == 0;
        return new DeliveryReport(run.runId(), run.channel(), expected, arrivals.size(), missing.size(), missing,
                duplicates.size(), List.copyOf(duplicates), List.copyOf(unexpected), inOrder, order, mismatches,
                clean, rows);
    }

    private static String typeOf(RunRecord run, long sequenceId) {
        return sequenceId <= run.count() ? "content" : "complete";
    }
}
