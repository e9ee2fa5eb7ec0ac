package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.rules.Registration;

/**
 * Spots in the database. A spot is taken by a conditional update ({@code reserved < total}) that the database
 * applies atomically, so concurrent confirmations, in one process or in several sharing a PostgreSQL, can never
 * overbook; the days are always updated in week order, so two confirmations never deadlock each other.
 */
public final class JdbcCapacityLedger implements CapacityLedger {

    private static final java.time.Duration COLLIDING_COMMIT_WAIT = java.time.Duration.ofSeconds(2);

    private final Jdbc jdbc;
    private final ObjectMapper objectMapper;
    private final Clock clock;

    public JdbcCapacityLedger(javax.sql.DataSource dataSource, ObjectMapper objectMapper, Clock clock) {
        this.jdbc = new Jdbc(dataSource);
        this.objectMapper = objectMapper;
        this.clock = clock;
    }

    /** Sets each opening day's total from configuration (keeping what is reserved); closed days are removed. */
    public void setCapacity(Map<DayOfWeek, Integer> totalByDay) {
        jdbc.inTransaction(connection -> {
            for (var entry : totalByDay.entrySet()) {
                String day = entry.getKey().name();
                if (Jdbc.update(connection, "UPDATE day_capacity SET total_spots = ? WHERE day_of_week = ?",
                        entry.getValue(), day) == 0) {
                    insertDay(connection, day, entry.getValue());
                }
            }
            String open = totalByDay.keySet().stream().map(d -> "'" + d.name() + "'").collect(Collectors.joining(","));
            Jdbc.update(connection, "DELETE FROM day_capacity WHERE day_of_week NOT IN (" + open + ")");
            return null;
        });
    }

    // Another instance may insert the same day between our UPDATE and INSERT: then it exists, which is all we need.
    private static void insertDay(Connection connection, String day, int total) throws SQLException {
        try {
            Jdbc.update(connection, "INSERT INTO day_capacity (day_of_week, total_spots, reserved_spots) VALUES (?, ?, 0)",
                    day, total);
        } catch (SQLException e) {
            if (!Jdbc.isConstraintViolation(e)) {
                throw e;
            }
            Jdbc.update(connection, "UPDATE day_capacity SET total_spots = ? WHERE day_of_week = ?", total, day);
        }
    }

    @Override
    public boolean hasFreeSpotOnEach(Set<DayOfWeek> days) {
        return jdbc.read(connection -> countDaysWithFreeSpots(connection, days) == days.size());
    }

    private static int countDaysWithFreeSpots(Connection connection, Set<DayOfWeek> days) throws SQLException {
        String placeholders = days.stream().map(d -> "?").collect(Collectors.joining(","));
        try (PreparedStatement statement = Jdbc.prepare(connection,
                "SELECT COUNT(*) FROM day_capacity WHERE reserved_spots < total_spots AND day_of_week IN (" + placeholders + ")",
                days.stream().map(DayOfWeek::name).toArray());
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    @Override
    public Reservation reserve(StoreTransaction transaction, String executionId, Set<DayOfWeek> days,
            Registration confirmed, String registrationDigest) {
        return take(transaction, executionId, days, confirmed, registrationDigest, false);
    }

    @Override
    public Reservation hold(StoreTransaction transaction, String executionId, Set<DayOfWeek> days,
            Registration held, String registrationDigest) {
        return take(transaction, executionId, days, held, registrationDigest, true);
    }

    @Override
    public boolean confirmHold(StoreTransaction transaction, String executionId, Registration confirmed) {
        try {
            return transaction.attempt(connection -> Jdbc.update(connection, "UPDATE confirmed_registrations"
                    + " SET held = FALSE, output_document = ?, confirmed_at = ? WHERE execution_id = ? AND held = TRUE",
                    toJson(confirmed), clock.instant(), executionId) == 1);
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    @Override
    public boolean release(StoreTransaction transaction, String executionId) {
        try {
            return transaction.attempt(connection -> {
                String days;
                try (PreparedStatement statement = Jdbc.prepare(connection,
                        "SELECT days_of_week FROM confirmed_registrations WHERE execution_id = ?", executionId);
                     ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return false;
                    }
                    days = row.getString(1);
                }
                Jdbc.update(connection, "DELETE FROM confirmed_registrations WHERE execution_id = ?", executionId);
                // the spots last, in week order like every reservation, so that two never deadlock
                for (DayOfWeek day : new TreeSet<>(Arrays.stream(days.split(",")).map(DayOfWeek::valueOf).toList())) {
                    Jdbc.update(connection, "UPDATE day_capacity SET reserved_spots = reserved_spots - 1"
                            + " WHERE day_of_week = ? AND reserved_spots > 0", day.name());
                }
                return true;
            });
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    @Override
    public Optional<String> heldRegistration(String executionId) {
        return jdbc.read(connection -> {
            try (PreparedStatement statement = Jdbc.prepare(connection, "SELECT output_document FROM confirmed_registrations"
                    + " WHERE execution_id = ?", executionId);
                 ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        });
    }

    private Reservation take(StoreTransaction transaction, String executionId, Set<DayOfWeek> days,
            Registration confirmed, String registrationDigest, boolean held) {
        String childKey = digest(confirmed.child().identityKey());
        String output = toJson(confirmed);
        try {
            return transaction.attempt(connection -> {
                Jdbc.update(connection, "INSERT INTO confirmed_registrations (execution_id, child_key, days_of_week,"
                        + " output_document, registration_digest, held, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        executionId, childKey, days.stream().map(DayOfWeek::name).sorted().collect(Collectors.joining(",")),
                        output, registrationDigest, held, clock.instant());
                // the spots last: their rows are the contended ones, locked from here to the commit
                for (DayOfWeek day : new TreeSet<>(days)) {
                    int taken = Jdbc.update(connection, "UPDATE day_capacity SET reserved_spots = reserved_spots + 1"
                            + " WHERE day_of_week = ? AND reserved_spots < total_spots", day.name());
                    if (taken == 0) {
                        throw new DayFull();
                    }
                }
                return new Reservation(Reservation.Outcome.CONFIRMED);
            });
        } catch (DayFull full) {
            return new Reservation(Reservation.Outcome.NO_SPOTS);
        } catch (SQLException e) {
            // the only key a new row can collide on is the child's (execution ids are unique UUIDs)
            if (Jdbc.isConstraintViolation(e)) {
                return new Reservation(registrationDigest.equals(registrationDigestOf(transaction, childKey))
                        ? Reservation.Outcome.SAME_REGISTRATION_CONFIRMED
                        : Reservation.Outcome.CHILD_ALREADY_REGISTERED);
            }
            throw StoreException.of(e);
        }
    }

    /**
     * The digest the child's confirmation was recorded with. PostgreSQL reports the collision only once the other
     * execution committed, so its row is visible at once; H2 reports it while that execution is still uncommitted,
     * so the row is waited for, briefly (an execution commits within milliseconds of its reservation). Null if it
     * never shows (that execution rolled back).
     */
    private String registrationDigestOf(StoreTransaction transaction, String childKey) {
        long giveUpAt = System.nanoTime() + COLLIDING_COMMIT_WAIT.toNanos();
        try {
            while (true) {
                Optional<String> digest = transaction.attempt(connection -> {
                    try (PreparedStatement statement = Jdbc.prepare(connection,
                            "SELECT registration_digest FROM confirmed_registrations WHERE child_key = ?", childKey);
                         ResultSet row = statement.executeQuery()) {
                        return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.<String>empty();
                    }
                });
                if (digest.isPresent() || System.nanoTime() > giveUpAt) {
                    return digest.orElse(null);
                }
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            throw StoreException.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public Optional<Confirmation> confirmationFor(String childIdentity) {
        String childKey = digest(childIdentity);
        return jdbc.read(connection -> {
            try (PreparedStatement statement = Jdbc.prepare(connection,
                    "SELECT execution_id, output_document, registration_digest, held FROM confirmed_registrations"
                    + " WHERE child_key = ?", childKey);
                 ResultSet row = statement.executeQuery()) {
                return row.next()
                        ? Optional.of(new Confirmation(row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4)))
                        : Optional.empty();
            }
        });
    }

    @Override
    public Map<DayOfWeek, DayCapacity> capacity() {
        return jdbc.read(connection -> {
            Map<DayOfWeek, DayCapacity> capacity = new EnumMap<>(DayOfWeek.class);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT day_of_week, total_spots, reserved_spots FROM day_capacity");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    capacity.put(DayOfWeek.valueOf(rows.getString(1)), new DayCapacity(rows.getInt(2), rows.getInt(3)));
                }
            }
            return capacity;
        });
    }

    /**
     * The child's identity is stored as a SHA-256 digest: fixed length whatever the names (a lower-cased name can
     * grow), and no names in a column that only serves to compare.
     */
    private static String digest(String childIdentity) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(childIdentity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private String toJson(Registration registration) {
        try {
            return objectMapper.writeValueAsString(registration);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a registration could not be written as JSON", e);
        }
    }

    /** Rolls the reservation back: some day had no free spot left. */
    private static final class DayFull extends RuntimeException {
        DayFull() {
            super(null, null, false, false);
        }
    }
}
