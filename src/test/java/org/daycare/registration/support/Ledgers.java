package org.daycare.registration.support;

import java.time.Clock;
import java.time.DayOfWeek;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.daycare.registration.rules.Registration;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.Database;
import org.daycare.registration.store.JdbcCapacityLedger;
import org.daycare.registration.store.StoreTransaction;

/** Capacity ledgers on a real database for tests: a private in-memory H2, migrated by the application's Flyway. */
public final class Ledgers {

    /** How long these pools' callers wait for a connection: the tests' own bound, the service's default value. */
    public static final long CONNECTION_TIMEOUT_MS = 3000;

    private Ledgers() {
    }

    public static HikariDataSource freshH2() {
        return Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 20,
                CONNECTION_TIMEOUT_MS);
    }

    private static final List<HikariDataSource> OPEN_POSTGRES_POOLS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A fresh database on the test JVM's embedded PostgreSQL, migrated, with a small pool: see {@link #closePools}. */
    public static HikariDataSource freshPostgres() {
        PostgresServer.PostgresDatabase database = PostgresServer.freshDatabase();
        HikariDataSource pool = Database.open(database.jdbcUrl(), database.user(), database.password(), 4,
                CONNECTION_TIMEOUT_MS);
        OPEN_POSTGRES_POOLS.add(pool);
        return pool;
    }

    /** PostgreSQL has a connection limit: tests close the pools they opened. */
    public static void closePools() {
        OPEN_POSTGRES_POOLS.forEach(HikariDataSource::close);
        OPEN_POSTGRES_POOLS.clear();
    }

    public static JdbcCapacityLedger onH2(Set<DayOfWeek> openDays, int spotsPerDay) {
        return on(freshH2(), openDays, spotsPerDay);
    }

    /** Which database each ledger made here is on, so that {@link #reserve} can commit a reservation there. */
    private static final Map<CapacityLedger, DataSource> DATABASES = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    public static JdbcCapacityLedger on(DataSource dataSource, Set<DayOfWeek> openDays, int spotsPerDay) {
        JdbcCapacityLedger ledger = new JdbcCapacityLedger(dataSource, new ObjectMapper(), Clock.systemUTC());
        ledger.seedCapacity(openDays.stream().collect(Collectors.toMap(Function.identity(), day -> spotsPerDay)));
        DATABASES.put(ledger, dataSource);
        return ledger;
    }

    /**
     * Reserves for a child of the execution's own (so that no two reservations are for the same child), in a
     * transaction of its own committed when the spots were taken: the state a test starts from.
     */
    public static boolean reserve(CapacityLedger ledger, String executionId, Set<DayOfWeek> days) {
        try (StoreTransaction transaction = StoreTransaction.open(DATABASES.get(ledger))) {
            boolean confirmed = ledger.reserve(transaction, executionId, days, childOf(executionId),
                    "registration-of-" + executionId).outcome() == CapacityLedger.Reservation.Outcome.CONFIRMED;
            if (confirmed) {
                transaction.commit();
            }
            return confirmed;
        }
    }

    public static Registration childOf(String executionId) {
        return new Registration(new Registration.Child("Child", executionId, "2022-01-01", 4),
                new Registration.Parents(new Registration.Parent("Parent", executionId, "p@example.com", null), null),
                List.of("Monday"), null, 700, "2026-12-09");
    }

    public static Map<DayOfWeek, Integer> reserved(CapacityLedger ledger) {
        return ledger.capacity().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().reserved()));
    }
}
