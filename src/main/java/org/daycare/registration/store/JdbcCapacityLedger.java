package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
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

    /**
     * Seeds the opening days from configuration: a day the database does not have yet gets its configured total; a
     * day it has keeps its total (the database wins: PUT /capacity/{day} changes it at run time, and that survives
     * restarts); a day no longer open is removed.
     */
    public void seedCapacity(Map<DayOfWeek, Integer> totalByDay) {
        jdbc.inTransaction(connection -> {
            for (var entry : totalByDay.entrySet()) {
                String day = entry.getKey().name();
                boolean known;
                try (PreparedStatement statement = Jdbc.prepare(connection,
                        "SELECT 1 FROM day_capacity WHERE day_of_week = ?", day);
                     ResultSet row = statement.executeQuery()) {
                    known = row.next();
                }
                if (!known) {
                    insertDay(connection, day, entry.getValue());
                }
            }
            String open = totalByDay.keySet().stream().map(d -> "'" + d.name() + "'").collect(Collectors.joining(","));
            Jdbc.update(connection, "DELETE FROM day_capacity WHERE day_of_week NOT IN (" + open + ")");
            return null;
        });
    }

    // Another instance may seed the same day between our SELECT and INSERT: then it exists, which is all we need.
    private static void insertDay(Connection connection, String day, int total) throws SQLException {
        try {
            Jdbc.update(connection, "INSERT INTO day_capacity (day_of_week, total_spots, reserved_spots) VALUES (?, ?, 0)",
                    day, total);
        } catch (SQLException e) {
            if (!Jdbc.isConstraintViolation(e)) {
                throw e;
            }
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
                for (DayOfWeek day : daysNamed(days)) {
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
            // the waitlist first: a registration only moves from there to confirmed_registrations (a promotion, one
            // commit), so one promoted between the two reads is found in the second
            try (PreparedStatement statement = Jdbc.prepare(connection, "SELECT registration_document FROM waitlist"
                    + " WHERE execution_id = ?", executionId);
                 ResultSet row = statement.executeQuery()) {
                if (row.next()) {
                    return Optional.of(row.getString(1));
                }
            }
            try (PreparedStatement statement = Jdbc.prepare(connection, "SELECT output_document FROM confirmed_registrations"
                    + " WHERE execution_id = ?", executionId);
                 ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public void lockDays(StoreTransaction transaction) {
        try {
            transaction.attempt(connection -> {
                Set<DayOfWeek> days = new TreeSet<>();
                try (PreparedStatement statement = connection.prepareStatement("SELECT day_of_week FROM day_capacity");
                     ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        days.add(DayOfWeek.valueOf(rows.getString(1)));
                    }
                }
                // one by one in week order, as every reservation takes them, so that none deadlocks with another
                for (DayOfWeek day : days) {
                    try (PreparedStatement statement = Jdbc.prepare(connection,
                            "SELECT total_spots FROM day_capacity WHERE day_of_week = ? FOR UPDATE", day.name());
                         ResultSet row = statement.executeQuery()) {
                        row.next();
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    @Override
    public Reservation joinWaitlist(StoreTransaction transaction, String executionId, Set<DayOfWeek> days,
            Registration registration, String registrationDigest) {
        String childKey = digest(registration.child().identityKey());
        try {
            return transaction.attempt(connection -> {
                for (String table : List.of("confirmed_registrations", "waitlist")) {
                    Optional<String> digest = digestIn(connection, table, childKey);
                    if (digest.isPresent()) {
                        return new Reservation(registrationDigest.equals(digest.get())
                                ? Reservation.Outcome.SAME_REGISTRATION_CONFIRMED
                                : Reservation.Outcome.CHILD_ALREADY_REGISTERED);
                    }
                }
                long arrival;
                // a bare MAX over the unique index on arrival: read off its end, not counted up
                try (PreparedStatement statement = connection.prepareStatement("SELECT MAX(arrival) FROM waitlist");
                     ResultSet row = statement.executeQuery()) {
                    row.next();
                    arrival = row.getLong(1) + 1; // 0 when empty
                }
                Jdbc.update(connection, "INSERT INTO waitlist (execution_id, arrival, child_key, days_of_week,"
                        + " registration_document, registration_digest, since) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        executionId, arrival, childKey, namesOf(days), toJson(registration), registrationDigest,
                        clock.instant());
                return new Reservation(Reservation.Outcome.CONFIRMED);
            });
        } catch (SQLException e) {
            if (Jdbc.isConstraintViolation(e)) {
                // the same child joined concurrently (the day locks make that rare): as a racing retry would be
                return new Reservation(registrationDigest.equals(registrationDigestIn(transaction, "waitlist", childKey))
                        ? Reservation.Outcome.SAME_REGISTRATION_CONFIRMED
                        : Reservation.Outcome.CHILD_ALREADY_REGISTERED);
            }
            throw StoreException.of(e);
        }
    }

    @Override
    public boolean leaveWaitlist(StoreTransaction transaction, String executionId) {
        try {
            return transaction.attempt(connection ->
                    Jdbc.update(connection, "DELETE FROM waitlist WHERE execution_id = ?", executionId) == 1);
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    @Override
    public List<String> promote(StoreTransaction transaction, String only, Predicate<String> claim) {
        try {
            return transaction.attempt(connection -> {
                Map<DayOfWeek, Integer> free = new EnumMap<>(DayOfWeek.class);
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT day_of_week, total_spots - reserved_spots FROM day_capacity");
                     ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        free.put(DayOfWeek.valueOf(rows.getString(1)), rows.getInt(2));
                    }
                }
                List<WaitingEntry> fitting = new ArrayList<>();
                if (free.values().stream().anyMatch(n -> n > 0)) {
                    // only the registrations that ask for no full day can fit: the others are not even read (day
                    // names are distinct words, so a LIKE per full day filters them); oldest first
                    StringBuilder select = new StringBuilder("SELECT execution_id, days_of_week, child_key FROM waitlist"
                            + " WHERE 1 = 1");
                    for (DayOfWeek day : DayOfWeek.values()) {
                        if (free.getOrDefault(day, 0) <= 0) {
                            select.append(" AND days_of_week NOT LIKE '%").append(day.name()).append("%'");
                        }
                    }
                    if (only != null) {
                        select.append(" AND execution_id = ?");
                    }
                    select.append(" ORDER BY arrival");
                    try (PreparedStatement statement = only == null ? connection.prepareStatement(select.toString())
                            : Jdbc.prepare(connection, select.toString(), only);
                         ResultSet rows = statement.executeQuery()) {
                        // oldest first; a registration that does not fit keeps its place, a later one may fit
                        while (rows.next() && free.values().stream().anyMatch(n -> n > 0)) {
                            Set<DayOfWeek> days = daysNamed(rows.getString(2));
                            if (days.stream().allMatch(day -> free.getOrDefault(day, 0) > 0)) {
                                WaitingEntry entry = new WaitingEntry(rows.getString(1), days, rows.getString(3));
                                if (digestIn(connection, "confirmed_registrations", entry.childKey()).isPresent()
                                        || !claim.test(entry.executionId())) {
                                    // the child holds a registration after all, or it left the waitlist meanwhile:
                                    // the spots stay free for the next that fits
                                    continue;
                                }
                                days.forEach(day -> free.merge(day, -1, Integer::sum));
                                fitting.add(entry);
                            }
                        }
                    }
                }
                List<String> promoted = new ArrayList<>();
                for (WaitingEntry entry : fitting) {
                    // the registration moves from the waitlist to confirmed_registrations, held
                    Jdbc.update(connection, "INSERT INTO confirmed_registrations (execution_id, child_key, days_of_week,"
                            + " output_document, registration_digest, held, confirmed_at) SELECT execution_id, child_key,"
                            + " days_of_week, registration_document, registration_digest, TRUE, ? FROM waitlist"
                            + " WHERE execution_id = ?", clock.instant(), entry.executionId());
                    Jdbc.update(connection, "DELETE FROM waitlist WHERE execution_id = ?", entry.executionId());
                    for (DayOfWeek day : new TreeSet<>(entry.days())) {
                        if (Jdbc.update(connection, "UPDATE day_capacity SET reserved_spots = reserved_spots + 1"
                                + " WHERE day_of_week = ? AND reserved_spots < total_spots", day.name()) == 0) {
                            throw new IllegalStateException("a promotion found a day full under its own lock");
                        }
                    }
                    promoted.add(entry.executionId());
                }
                return promoted;
            });
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    @Override
    public TotalChange changeTotal(StoreTransaction transaction, DayOfWeek day, int total) {
        try {
            return transaction.attempt(connection -> {
                try (PreparedStatement statement = Jdbc.prepare(connection,
                        "SELECT reserved_spots FROM day_capacity WHERE day_of_week = ?", day.name());
                     ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return TotalChange.NOT_AN_OPENING_DAY;
                    }
                    if (total < row.getInt(1)) {
                        return TotalChange.BELOW_RESERVED;
                    }
                }
                Jdbc.update(connection, "UPDATE day_capacity SET total_spots = ? WHERE day_of_week = ?", total, day.name());
                return TotalChange.CHANGED;
            });
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    @Override
    public List<WaitlistEntry> waitlist(int limit, int offset) {
        return jdbc.read(connection -> {
            List<WaitlistEntry> entries = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT execution_id, since, days_of_week"
                    + " FROM waitlist ORDER BY arrival OFFSET " + offset + " ROWS FETCH FIRST " + limit + " ROWS ONLY");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    entries.add(new WaitlistEntry(rows.getString(1), offset + entries.size() + 1,
                            Jdbc.instant(rows, "since"), daysNamed(rows.getString(3))));
                }
            }
            return entries;
        });
    }

    @Override
    public int waitlistPosition(String executionId) {
        return jdbc.read(connection -> {
            try (PreparedStatement statement = Jdbc.prepare(connection, "SELECT COUNT(*) FROM waitlist w, waitlist mine"
                    + " WHERE mine.execution_id = ? AND w.arrival <= mine.arrival", executionId);
                 ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    @Override
    public int waitlistLength() {
        return jdbc.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM waitlist");
                 ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    private record WaitingEntry(String executionId, Set<DayOfWeek> days, String childKey) {
    }

    /** The registration digest kept with the child's row in {@code table}, if the child has one there. */
    private static Optional<String> digestIn(Connection connection, String table, String childKey) throws SQLException {
        try (PreparedStatement statement = Jdbc.prepare(connection,
                "SELECT registration_digest FROM " + table + " WHERE child_key = ?", childKey);
             ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(java.util.Objects.toString(row.getString(1), "")) : Optional.empty();
        }
    }

    private static String registrationDigestIn(StoreTransaction transaction, String table, String childKey) {
        try {
            return transaction.attempt(connection -> digestIn(connection, table, childKey).orElse(null));
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    private static String namesOf(Set<DayOfWeek> days) {
        return days.stream().map(DayOfWeek::name).sorted().collect(Collectors.joining(","));
    }

    /** The days of a stored list, in week order (an EnumSet). */
    private static Set<DayOfWeek> daysNamed(String names) {
        Set<DayOfWeek> days = java.util.EnumSet.noneOf(DayOfWeek.class);
        Arrays.stream(names.split(",")).map(DayOfWeek::valueOf).forEach(days::add);
        return days;
    }

    private Reservation take(StoreTransaction transaction, String executionId, Set<DayOfWeek> days,
            Registration confirmed, String registrationDigest, boolean held) {
        String childKey = digest(confirmed.child().identityKey());
        String output = toJson(confirmed);
        try {
            return transaction.attempt(connection -> {
                // a child waits once, and holds nothing else while waiting
                Optional<String> waiting = digestIn(connection, "waitlist", childKey);
                if (waiting.isPresent()) {
                    return new Reservation(registrationDigest.equals(waiting.get())
                            ? Reservation.Outcome.SAME_REGISTRATION_CONFIRMED
                            : Reservation.Outcome.CHILD_ALREADY_REGISTERED);
                }
                Jdbc.update(connection, "INSERT INTO confirmed_registrations (execution_id, child_key, days_of_week,"
                        + " output_document, registration_digest, held, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        executionId, childKey, namesOf(days),
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
                if (row.next()) {
                    return Optional.of(new Confirmation(row.getString(1), row.getString(2), row.getString(3),
                            row.getBoolean(4)));
                }
            }
            // on the waitlist: it waits, as a held registration does
            try (PreparedStatement statement = Jdbc.prepare(connection,
                    "SELECT execution_id, registration_document, registration_digest FROM waitlist WHERE child_key = ?",
                    childKey);
                 ResultSet row = statement.executeQuery()) {
                return row.next()
                        ? Optional.of(new Confirmation(row.getString(1), row.getString(2), row.getString(3), true))
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
