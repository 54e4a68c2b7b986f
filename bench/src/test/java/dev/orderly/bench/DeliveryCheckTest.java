package dev.orderly.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeliveryCheckTest {

    @Test
    void inOrderIsClean() {
        DeliveryCheck check = new DeliveryCheck();
        for (long offset = 1; offset <= 5; offset++) {
            check.record(offset);
        }

        assertEquals(0, check.lost(5));
        assertEquals(0, check.duplicated());
        assertEquals(0, check.reordered());
        assertEquals(5, check.contiguous());
    }

    @Test
    void countsLossRepeatAndReorder() {
        DeliveryCheck check = new DeliveryCheck();
        check.record(1);
        check.record(3);
        check.record(2);
        check.record(3);
        check.record(5);

        assertEquals(1, check.lost(5));
        assertEquals(1, check.duplicated());
        assertEquals(1, check.reordered());
        assertEquals(3, check.contiguous());
        assertEquals(5, check.deliveries());
    }

    @Test
    void countsOffsetsAboveTop() {
        DeliveryCheck check = new DeliveryCheck();
        check.record(1);
        check.record(2);
        check.record(4);

        assertEquals(2, check.unexpected(1));
        assertEquals(0, check.unexpected(4));
    }
}
