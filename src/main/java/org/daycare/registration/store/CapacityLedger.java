package org.daycare.registration.store;

import java.time.DayOfWeek;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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

    /** The registration an execution holds, confirmed or waits with on the waitlist (its document), if any. */
    Optional<String> heldRegistration(String executionId);

    /**
     * Within a transaction, locks every opening day's row, in week order (the order every reservation takes them in):
     * what joins the waitlist, frees spots or changes a total then runs one at a time, so that after each commit no
     * waitlisted registration fits the free spots.
     */
    void lockDays(StoreTransaction transaction);

    /**
     * Within a transaction holding {@link #lockDays}: the registration joins the end of the waitlist (CONFIRMED), or
     * nothing changes because the child already holds or waits with a registration (SAME_REGISTRATION_CONFIRMED for
     * this same registration_info, CHILD_ALREADY_REGISTERED for another).
     */
    Reservation joinWaitlist(StoreTransaction transaction, String executionId, Set<DayOfWeek> days,
            Registration registration, String registrationDigest);

    /** Within a transaction: the execution leaves the waitlist (cancelled, expired); false if it was not on it. */
    boolean leaveWaitlist(StoreTransaction transaction, String executionId);

    /**
     * Within a transaction holding {@link #lockDays}: every waitlisted registration that fits the free spots, oldest
     * first (one that does not fit keeps its place and a later one may), leaves the waitlist with its spots held, as
     * an approval's are, if {@code claim} moves its execution on (false: it left the waitlist meanwhile). Answers
     * the execution ids promoted, in order. {@code only}: consider that execution alone (null: the whole waitlist).
     */
    List<String> promote(StoreTransaction transaction, String only, Predicate<String> claim);

    /** Within a transaction holding {@link #lockDays}: sets a day's total, unless it is below what is reserved. */
    TotalChange changeTotal(StoreTransaction transaction, DayOfWeek day, int total);

    enum TotalChange { CHANGED, BELOW_RESERVED, NOT_AN_OPENING_DAY }

    /** The waitlist in order, from {@code offset} (0: the first), at most {@code limit}. */
    List<WaitlistEntry> waitlist(int limit, int offset);

    /** The execution's place on the waitlist (1: next), or 0 when it is not on it. */
    int waitlistPosition(String executionId);

    int waitlistLength();

    /** A waitlisted registration: its execution, its place (1: next), since when it waits, the days it asks for. */
    record WaitlistEntry(String executionId, int position, java.time.Instant since, Set<DayOfWeek> days) {
    }

    /**
     * The child's confirmed registration, if any: the execution that holds it and its output document.
     *
     * @param childIdentity {@code Registration.Child#identityKey}
     */
    Optional<Confirmation> confirmationFor(String childIdentity);

    /**
     * {@code held}: it is not confirmed yet: its spots are held while it awaits approval (or runs on after a
     * promotion), or it waits on the waitlist.
     */
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
