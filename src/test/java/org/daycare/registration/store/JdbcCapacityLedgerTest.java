package org.daycare.registration.store;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.DayOfWeek;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.daycare.registration.store.CapacityLedger.DayCapacity;
import org.daycare.registration.support.Ledgers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("JdbcCapacityLedger (H2)")
class JdbcCapacityLedgerTest {

    /** A ledger on a fresh database: in-memory H2 here, PostgreSQL in {@link JdbcCapacityLedgerOnPostgresqlTest}. */
    CapacityLedger ledger(Set<DayOfWeek> openDays, int spotsPerDay) {
        return Ledgers.onH2(openDays, spotsPerDay);
    }

    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(MONDAY, FRIDAY);

    @Test
    @DisplayName("a new ledger has the full capacity free on every opening day, in week order, and no other day")
    void newLedgerCapacity() {
        CapacityLedger ledger = ledger(EnumSet.of(FRIDAY, MONDAY, WEDNESDAY), 20);

        Map<DayOfWeek, DayCapacity> capacity = ledger.capacity();

        assertThat(capacity).containsExactly(
                Map.entry(MONDAY, new DayCapacity(20, 0)),
                Map.entry(WEDNESDAY, new DayCapacity(20, 0)),
                Map.entry(FRIDAY, new DayCapacity(20, 0)));
        assertThat(capacity.values()).extracting(DayCapacity::free).containsOnly(20);
    }

    @Test
    @DisplayName("a reservation takes one spot on each requested day and none on the others")
    void reservationCountsPerDay() {
        CapacityLedger ledger = ledger(WEEKDAYS, 20);

        assertThat(Ledgers.reserve(ledger, "exec-1", EnumSet.of(MONDAY, WEDNESDAY))).isTrue();
        assertThat(Ledgers.reserve(ledger, "exec-2", EnumSet.of(MONDAY))).isTrue();

        assertThat(ledger.capacity()).containsExactly(
                Map.entry(MONDAY, new DayCapacity(20, 2)),
                Map.entry(TUESDAY, new DayCapacity(20, 0)),
                Map.entry(WEDNESDAY, new DayCapacity(20, 1)),
                Map.entry(THURSDAY, new DayCapacity(20, 0)),
                Map.entry(FRIDAY, new DayCapacity(20, 0)));
        assertThat(ledger.capacity().get(MONDAY).free()).isEqualTo(18);
    }

    @Test
    @DisplayName("a day fills up after capacity reservations; the next one is refused")
    void dayFillsUp() {
        CapacityLedger ledger = ledger(WEEKDAYS, 2);

        assertThat(Ledgers.reserve(ledger, "exec-1", EnumSet.of(TUESDAY))).isTrue();
        assertThat(ledger.hasFreeSpotOnEach(EnumSet.of(TUESDAY))).isTrue();
        assertThat(Ledgers.reserve(ledger, "exec-2", EnumSet.of(TUESDAY))).isTrue();

        assertThat(ledger.hasFreeSpotOnEach(EnumSet.of(TUESDAY))).isFalse();
        assertThat(Ledgers.reserve(ledger, "exec-3", EnumSet.of(TUESDAY))).isFalse();
        assertThat(ledger.capacity().get(TUESDAY)).isEqualTo(new DayCapacity(2, 2));
        assertThat(ledger.capacity().get(TUESDAY).free()).isZero();
    }

    @Test
    @DisplayName("all or nothing: a multi-day request with one full day reserves nothing")
    void allOrNothing() {
        CapacityLedger ledger = ledger(WEEKDAYS, 1);
        assertThat(Ledgers.reserve(ledger, "takes-wednesday", EnumSet.of(WEDNESDAY))).isTrue();

        assertThat(ledger.hasFreeSpotOnEach(EnumSet.of(MONDAY, WEDNESDAY, FRIDAY))).isFalse();
        assertThat(Ledgers.reserve(ledger, "wants-three-days", EnumSet.of(MONDAY, WEDNESDAY, FRIDAY))).isFalse();

        assertThat(ledger.capacity().get(MONDAY).reserved()).isZero();
        assertThat(ledger.capacity().get(WEDNESDAY).reserved()).isEqualTo(1);
        assertThat(ledger.capacity().get(FRIDAY).reserved()).isZero();
        assertThat(Ledgers.reserve(ledger, "wants-monday-friday", EnumSet.of(MONDAY, FRIDAY))).isTrue();
    }

    @Test
    @DisplayName("a closed day has no spots")
    void closedDayHasNoSpots() {
        CapacityLedger ledger = ledger(WEEKDAYS, 20);

        assertThat(ledger.hasFreeSpotOnEach(EnumSet.of(MONDAY, SATURDAY))).isFalse();
        assertThat(Ledgers.reserve(ledger, "exec-1", EnumSet.of(MONDAY, SATURDAY))).isFalse();
        assertThat(ledger.capacity().get(MONDAY).reserved()).isZero();
        assertThat(ledger.capacity()).doesNotContainKey(SATURDAY);
    }

    @Test
    @DisplayName("capacity zero means no spots at all; negative capacity is rejected")
    void zeroAndNegativeCapacity() {
        CapacityLedger none = ledger(WEEKDAYS, 0);
        assertThat(Ledgers.reserve(none, "exec-1", EnumSet.of(MONDAY))).isFalse();
        assertThat(none.capacity().get(MONDAY)).isEqualTo(new DayCapacity(0, 0));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> CapacityPlan.parse(new org.daycare.registration.rules.OpeningDays(WEEKDAYS), -1, ""))
                .withMessage("capacity per day must not be negative: -1");
    }

    @Test
    @DisplayName("capacity() is a snapshot the caller cannot use to change the ledger")
    void capacityIsASnapshot() {
        CapacityLedger ledger = ledger(EnumSet.of(MONDAY), 1);
        Map<DayOfWeek, DayCapacity> snapshot = ledger.capacity();

        snapshot.put(MONDAY, new DayCapacity(1, 1));
        assertThat(Ledgers.reserve(ledger, "exec-1", EnumSet.of(MONDAY))).isTrue();

        assertThat(snapshot.get(MONDAY)).isEqualTo(new DayCapacity(1, 1));
        assertThat(ledger.capacity().get(MONDAY)).isEqualTo(new DayCapacity(1, 1));
    }
}
