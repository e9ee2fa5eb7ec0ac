package org.daycare.registration.store;

import java.time.DayOfWeek;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.daycare.registration.rules.Registration;

/** The daycare's spots: a capacity per opening day, and the spots confirmed registrations hold. */
public interface CapacityLedger {

    /** Whether every one of the days still has at least one free spot (a check, not a promise). */
    boolean hasFreeSpotOnEach(Set<DayOfWeek> days);

    /**
     * Within the execution's transaction, atomically takes one spot on each of the registration's days and records
     * the confirmed registration (with the digest of the registration_info it came from), or changes nothing: two
     * registrations racing for the last spot never both win, and a child holds at most one confirmed registration.
     * The spots are held once that transaction commits, and not at all if it rolls back. When the answer is not
     * CONFIRMED the reservation changed nothing, and the transaction goes on as it was.
     */
    Reservation reserve(StoreTransaction transaction, String executionId, Set<DayOfWeek> days, Registration confirmed,
            String registrationDigest);

    /**
     * The same as {@link #reserve}, for a registration that waits for approval: its spots are held (they count as
     * taken) until {@link #confirmHold} or {@link #release}.
     */
    Reservation hold(StoreTransaction transaction, String executionId, Set<DayOfWeek> days, Registration held,
            String registrationDigest);

    /** Within a transaction: the execution's held registration becomes confirmed, as given; false if it held none. */
    boolean confirmHold(StoreTransaction transaction, String executionId, Registration confirmed);

    /**
     * Within a transaction: the execution's held or confirmed registration goes, and its spots are free again;
     * false if it had none.
     */
    boolean release(StoreTransaction transaction, String executionId);

    /** The registration an execution holds or confirmed (its document), if any. */
    Optional<String> heldRegistration(String executionId);

    /**
     * The child's confirmed registration, if any: the execution that holds it and its output document.
     *
     * @param childIdentity {@code Registration.Child#identityKey}
     */
    Optional<Confirmation> confirmationFor(String childIdentity);

    /** {@code held}: its spots are held while it awaits approval; it is not confirmed yet. */
    record Confirmation(String executionId, String outputDocument, String registrationDigest, boolean held) {
    }

    /** Total, reserved and free spots per opening day, in week order. */
    Map<DayOfWeek, DayCapacity> capacity();

    record DayCapacity(int total, int reserved) {
        public int free() {
            return Math.max(0, total - reserved);
        }
    }

    /**
     * What a reservation did: CONFIRMED, or nothing because a day was full, or because the child already holds a
     * confirmed registration, made from this same registration_info (a retry that raced the first) or from
     * another one.
     */
    record Reservation(Outcome outcome) {
        public enum Outcome { CONFIRMED, NO_SPOTS, SAME_REGISTRATION_CONFIRMED, CHILD_ALREADY_REGISTERED }
    }
}
