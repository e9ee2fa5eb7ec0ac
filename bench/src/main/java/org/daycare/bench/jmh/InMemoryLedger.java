package org.daycare.bench.jmh;

import java.time.DayOfWeek;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Predicate;

import org.daycare.registration.rules.Registration;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.StoreTransaction;

/**
 * The rules floor's capacity: the {@link CapacityLedger} contract kept in memory (a counter per day, a map of
 * confirmed children), so that Check Spots Availability and Confirm Registration run as plain method calls.
 */
final class InMemoryLedger implements CapacityLedger {

    private final int total;
    private final AtomicIntegerArray reserved = new AtomicIntegerArray(8);
    private final Map<String, Confirmation> confirmed = new ConcurrentHashMap<>();

    InMemoryLedger(int total) {
        this.total = total;
    }

    @Override
    public boolean hasFreeSpotOnEach(Set<DayOfWeek> days) {
        for (DayOfWeek day : days) {
            if (reserved.get(day.getValue()) >= total) {
                return false;
            }
        }
        return true;
    }

    /** No transaction in memory: the spots are held at once. */
    @Override
    public Reservation reserve(StoreTransaction transaction, String executionId, Set<DayOfWeek> days,
            Registration registration, String registrationDigest) {
        String child = registration.child().identityKey();
        Confirmation earlier = confirmed.putIfAbsent(child, new Confirmation(executionId, null, registrationDigest, false));
        if (earlier != null) {
            return new Reservation(registrationDigest.equals(earlier.registrationDigest())
                    ? Reservation.Outcome.SAME_REGISTRATION_CONFIRMED : Reservation.Outcome.CHILD_ALREADY_REGISTERED);
        }
        for (DayOfWeek day : days) {
            reserved.incrementAndGet(day.getValue());
        }
        return new Reservation(Reservation.Outcome.CONFIRMED);
    }

    // The rules floor runs the four-state flow (approval never): nothing waits, so nothing is held, confirmed from a
    // hold, released or read back. Called anyway, these say so rather than pretend.
    @Override
    public Reservation hold(StoreTransaction transaction, String executionId, Set<DayOfWeek> days, Registration held,
            String registrationDigest) {
        throw new UnsupportedOperationException("the rules floor never awaits approval");
    }

    @Override
    public boolean confirmHold(StoreTransaction transaction, String executionId, Registration registration) {
        throw new UnsupportedOperationException("the rules floor never awaits approval");
    }

    @Override
    public boolean release(StoreTransaction transaction, String executionId) {
        throw new UnsupportedOperationException("the rules floor never cancels");
    }

    @Override
    public Optional<String> heldRegistration(String executionId) {
        throw new UnsupportedOperationException("the rules floor never awaits approval");
    }

    // Nor is the waitlist on (daycare.waitlist.enabled is false there): nothing joins, leaves or is promoted.
    @Override
    public void lockDays(StoreTransaction transaction) {
        throw new UnsupportedOperationException("the rules floor has no waitlist");
    }

    @Override
    public Reservation joinWaitlist(StoreTransaction transaction, String executionId, Set<DayOfWeek> days,
            Registration registration, String registrationDigest) {
        throw new UnsupportedOperationException("the rules floor has no waitlist");
    }

    @Override
    public boolean leaveWaitlist(StoreTransaction transaction, String executionId) {
        throw new UnsupportedOperationException("the rules floor has no waitlist");
    }

    @Override
    public List<String> promote(StoreTransaction transaction, String only, Predicate<String> claim) {
        throw new UnsupportedOperationException("the rules floor has no waitlist");
    }

    @Override
    public TotalChange changeTotal(StoreTransaction transaction, DayOfWeek day, int total) {
        throw new UnsupportedOperationException("the rules floor's totals are fixed");
    }

    @Override
    public List<WaitlistEntry> waitlist(int limit, int offset) {
        return List.of();
    }

    @Override
    public int waitlistPosition(String executionId) {
        return 0;
    }

    @Override
    public int waitlistLength() {
        return 0;
    }

    @Override
    public Optional<Confirmation> confirmationFor(String childKey) {
        return Optional.ofNullable(confirmed.get(childKey));
    }

    @Override
    public Map<DayOfWeek, DayCapacity> capacity() {
        Map<DayOfWeek, DayCapacity> capacity = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            capacity.put(day, new DayCapacity(total, reserved.get(day.getValue())));
        }
        return capacity;
    }
}
