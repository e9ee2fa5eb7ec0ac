package org.daycare.registration.store;

import java.time.DayOfWeek;
import java.util.Set;

import org.daycare.registration.support.Ledgers;
import org.junit.jupiter.api.DisplayName;

/** The same ledger contract, races included, on a real PostgreSQL. */
@DisplayName("JdbcCapacityLedger (PostgreSQL)")
class JdbcCapacityLedgerOnPostgresqlTest extends JdbcCapacityLedgerTest {

    @org.junit.jupiter.api.AfterEach
    void closePools() {
        Ledgers.closePools();
    }

    @Override
    CapacityLedger ledger(Set<DayOfWeek> openDays, int spotsPerDay) {
        return Ledgers.on(Ledgers.freshPostgres(), openDays, spotsPerDay);
    }
}
