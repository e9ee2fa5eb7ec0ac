package org.daycare.registration.store;

import java.time.DayOfWeek;
import java.util.Map;
import java.util.Set;

/** The daycare's spots: a capacity per opening day, and the spots confirmed registrations hold. */
public interface CapacityLedger {

    /** Whether every one of the days still has at least one free spot (a check, not a promise). */
    boolean hasFreeSpotOnEach(Set<DayOfWeek> days);

    /**
     * Atomically takes one spot on each of the days for the execution, or none at all: answers false when any
     * day is full, so that two registrations racing for the last spot never both win.
     */
    boolean reserve(String executionId, Set<DayOfWeek> days);

    /** Total, reserved and free spots per opening day, in week order. */
    Map<DayOfWeek, DayCapacity> capacity();

    record DayCapacity(int total, int reserved) {
        public int free() {
            return Math.max(0, total - reserved);
        }
    }
}
