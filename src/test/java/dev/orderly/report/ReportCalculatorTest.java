package dev.orderly.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.orderly.testrun.RunRecord;

/** Report arithmetic on a run of three content events of 5, 6 and 7 characters and one complete event. */
class ReportCalculatorTest {

    private static final List<Integer> SIZES = List.of(5, 6, 7, 0);
    private static final List<String> HASHES = List.of("11111111", "22222222", "33333333", "811c9dc5");
    private static final RunRecord RUN = new RunRecord("5f1c2e9a0b7d4c36", "generate:calc", 3, SIZES, HASHES);

    @Test
    void cleanDelivery() {
        DeliveryReport report = ReportCalculator.compute(RUN, List.of(sent(1), sent(2), sent(3), sent(4)));

        assertEquals("5f1c2e9a0b7d4c36", report.runId());
        assertEquals("generate:calc", report.channel());
        assertEquals(4, report.expected());
        assertEquals(4, report.received());
        assertEquals(0, report.missingCount());
        assertEquals(List.of(), report.missingIds());
        assertEquals(0, report.duplicateCount());
        assertEquals(List.of(), report.duplicateIds());
        assertEquals(List.of(), report.unexpectedIds());
        assertTrue(report.inOrder());
        assertEquals(List.of(1L, 2L, 3L, 4L), report.arrivalOrder());
        assertEquals(0, report.payloadMismatchCount());
        assertTrue(report.clean());
        assertEquals(List.of(
                new EventReport(1, 1, "content", 5, 5, true),
                new EventReport(2, 2, "content", 6, 6, true),
                new EventReport(3, 3, "content", 7, 7, true),
                new EventReport(4, 4, "complete", 0, 0, true)), report.events());
    }

    @Test
    void missingEvent() {
        DeliveryReport report = ReportCalculator.compute(RUN, List.of(sent(1), sent(2), sent(4)));

        assertEquals(3, report.received());
        assertEquals(1, report.missingCount());
        assertEquals(List.of(3L), report.missingIds());
        assertEquals(List.of(), report.duplicateIds());
        assertTrue(report.inOrder());
        assertEquals(0, report.payloadMismatchCount());
        assertFalse(report.clean());
        assertEquals(List.of(
                new EventReport(1, 1, "content", 5, 5, true),
                new EventReport(2, 2, "content", 6, 6, true),
                new EventReport(3, 4, "complete", 0, 0, true),
                new EventReport(null, 3, "content", 7, null, false)), report.events());
    }

    @Test
    void missingCompleteEvent() {
        DeliveryReport report = ReportCalculator.compute(RUN, List.of(sent(1), sent(2), sent(3)));

        assertEquals(List.of(4L), report.missingIds());
        assertEquals(new EventReport(null, 4, "complete", 0, null, false), report.events().get(3));
        assertFalse(report.clean());
    }

    @Test
    void nothingReceived() {
        DeliveryReport report = ReportCalculator.compute(RUN, List.of());

        assertEquals(0, report.received());
        assertEquals(List.of(1L, 2L, 3L, 4L), report.missingIds());
        assertEquals(List.of(), report.arrivalOrder());
        assertEquals(4, report.events().size());
        assertFalse(report.clean());
    }

    @Test
    void duplicateEvent() {
        DeliveryReport report = ReportCalculator.compute(RUN,
                List.of(sent(1), sent(2), sent(2), sent(3), sent(4)));

        assertEquals(5, report.received());
        assertEquals(0, report.missingCount());
        assertEquals(1, report.duplicateCount());
        assertEquals(List.of(2L), report.duplicateIds());
        assertFalse(report.inOrder());
        assertEquals(List.of(1L, 2L, 2L, 3L, 4L), report.arrivalOrder());
        assertEquals(0, report.payloadMismatchCount());
        assertFalse(report.clean());
        assertEquals(new EventReport(3, 2, "content", 6, 6, true), report.events().get(2));
    }

    @Test
    void duplicateListedOnce() {
        DeliveryReport report = ReportCalculator.compute(RUN,
                List.of(sent(1), sent(1), sent(1), sent(2), sent(3), sent(4)));

        assertEquals(1, report.duplicateCount());
        assertEquals(List.of(1L), report.duplicateIds());
        assertEquals(6, report.received());
    }

    @Test
    void reorderedEvents() {
        DeliveryReport report = ReportCalculator.compute(RUN, List.of(sent(1), sent(3), sent(2), sent(4)));

        assertEquals(List.of(), report.missingIds());
        assertEquals(List.of(), report.duplicateIds());
        assertFalse(report.inOrder());
        assertEquals(List.of(1L, 3L, 2L, 4L), report.arrivalOrder());
        assertEquals(0, report.payloadMismatchCount());
        assertFalse(report.clean());
        assertEquals(List.of(
                new EventReport(1, 1, "content", 5, 5, true),
                new EventReport(2, 3, "content", 7, 7, true),
                new EventReport(3, 2, "content", 6, 6, true),
                new EventReport(4, 4, "complete", 0, 0, true)), report.events());
    }

    @Test
    void wrongSizeIsMismatch() {
        DeliveryReport report = ReportCalculator.compute(RUN,
                List.of(sent(1), new Arrival(2L, "content", 5, HASHES.get(1)), sent(3), sent(4)));

        assertEquals(1, report.payloadMismatchCount());
        assertEquals(new EventReport(2, 2, "content", 6, 5, false), report.events().get(1));
        assertTrue(report.inOrder());
        assertFalse(report.clean());
    }

    @Test
    void wrongHashIsMismatch() {
        DeliveryReport report = ReportCalculator.compute(RUN,
                List.of(sent(1), new Arrival(2L, "content", 6, "deadbeef"), sent(3), sent(4)));

        assertEquals(1, report.payloadMismatchCount());
        assertEquals(new EventReport(2, 2, "content", 6, 6, false), report.events().get(1));
        assertFalse(report.clean());
    }

    @Test
    void wrongTypeIsMismatch() {
        DeliveryReport report = ReportCalculator.compute(RUN,
                List.of(sent(1), sent(2), sent(3), new Arrival(4L, "content", 0, HASHES.get(3))));

        assertEquals(1, report.payloadMismatchCount());
        assertEquals(new EventReport(4, 4, "content", 0, 0, false), report.events().get(3));
        assertEquals(List.of(), report.missingIds());
        assertFalse(report.clean());
    }

    @Test
    void unexpectedId() {
        DeliveryReport report = ReportCalculator.compute(RUN,
                List.of(sent(1), sent(2), sent(3), sent(4), new Arrival(9L, "content", 3, "deadbeef")));

        assertEquals(4, report.expected());
        assertEquals(5, report.received());
        assertEquals(List.of(9L), report.unexpectedIds());
        assertEquals(List.of(), report.missingIds());
        assertEquals(List.of(), report.duplicateIds());
        assertTrue(report.inOrder());
        assertEquals(List.of(1L, 2L, 3L, 4L, 9L), report.arrivalOrder());
        // An id the run never sent has nothing to match, so its row counts as a payload mismatch.
        assertEquals(1, report.payloadMismatchCount());
        assertFalse(report.clean());
        assertEquals(new EventReport(5, 9, "content", null, 3, false), report.events().get(4));
    }

    /** Returns the arrival of {@code sequenceId} exactly as the run sent it. */
    private static Arrival sent(long sequenceId) {
        int index = (int) sequenceId - 1;
        String type = sequenceId <= RUN.count() ? "content" : "complete";
        return new Arrival(sequenceId, type, SIZES.get(index), HASHES.get(index));
    }
}
