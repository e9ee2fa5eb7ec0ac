package org.daycare.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.daycare.registration.store.Database;

/**
 * Rows written straight into the application's database with SQL, before the application is started on it: the
 * notification figure's pending outbox rows and the growth figure's million executions. The schema is the
 * application's own, made by its Flyway migrations through {@link Database#open}; the H2 URL is the one the
 * application builds for a data directory (DaycareConfiguration#dataSource).
 */
final class Seeder {

    /** A registration's result document as the application writes it (about 600 bytes), @ID@ being replaced. */
    static final String RESULT = "{\"executionId\":\"@ID@\",\"status\":\"SUCCEEDED\",\"output\":{\"child\":{\"firstName\":"
            + "\"Seed @N@\",\"lastName\":\"Family @F@\",\"dateOfBirth\":\"2021-03-27\",\"age\":5},\"parents\":{\"mother\":"
            + "{\"firstName\":\"Aicha\",\"lastName\":\"Cisse\",\"email\":\"parent@N@@example.com\",\"phone\":\"123-456-7890\"},"
            + "\"father\":{\"firstName\":\"Ibrahim\",\"lastName\":\"Diallo\",\"email\":\"ibrahim.diallo@example.com\"}},"
            + "\"daysOfWeek\":[\"Monday\",\"Wednesday\",\"Friday\"],\"specialInstructions\":\"Peanut allergy.\","
            + "\"fees\":650,\"start_date\":\"2025-12-09\"}}";
    static final String INPUT = "{\"registration_info\":{\"child\":{\"firstName\":\"Seed @N@\",\"lastName\":\"Family @F@\","
            + "\"dateOfBirth\":\"@DOB@\"},\"parents\":{\"mother\":{\"firstName\":\"Aicha\",\"lastName\":\"Cisse\","
            + "\"email\":\"parent@N@@example.com\",\"phone\":\"123-456-7890\"},\"father\":{\"firstName\":\"Ibrahim\","
            + "\"lastName\":\"Diallo\",\"email\":\"ibrahim.diallo@example.com\"}},\"daysOfWeek\":[\"Monday\","
            + "\"Wednesday\",\"Friday\"],\"specialInstructions\":\"Peanut allergy.\"}}";
    static final String FAILED_AGE = "{\"executionId\":\"@ID@\",\"status\":\"FAILED\",\"error\":\"InvalidAge\","
            + "\"cause\":\"The child's age is not within the accepted range.\"}";
    static final String FAILED_INFO = "{\"executionId\":\"@ID@\",\"status\":\"FAILED\",\"error\":\"InformationIncomplete\","
            + "\"cause\":\"The parent did not provide complete information.\","
            + "\"problems\":[\"registration_info.child.lastName: is required\"]}";

    /** Executions per INSERT ... SELECT (and so per transaction): small enough that H2 keeps its undo log in memory. */
    static final int SLICE = Integer.getInteger("bench.seed.slice", 1_000);

    private Seeder() {
    }

    /** Changes whenever what history() writes changes, so that a cached seed of an older seeder is not used. */
    static final String SEED_VERSION = "history-2";

    /** The cache key of a seeded database: the seeder, the row count, the migrations and H2 of the application jar. */
    static String cacheKey(Path appJar, int rows) throws java.io.IOException {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(appJar.toFile())) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update((SEED_VERSION + "|" + rows + "|" + org.h2.engine.Constants.FULL_VERSION).getBytes());
            List<String> names = jar.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(n -> n.startsWith("db/migration/")).sorted().toList();
            for (String name : names) {
                digest.update(name.getBytes());
                try (java.io.InputStream in = jar.getInputStream(jar.getEntry(name))) {
                    digest.update(in.readAllBytes());
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHUTDOWN COMPACT: rewrites the file without the space H2 kept from the bulk insert. */
    static void compact(Path dataDir) throws SQLException {
        try (Connection connection = java.sql.DriverManager.getConnection(h2Url(dataDir), "", "");
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        }
    }

    static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("daycare").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    static HikariDataSource open(Path dataDir) {
        return Database.open(h2Url(dataDir), "", "", 4, 3000);
    }

    /** An execution id of 36 characters, like the application's UUIDs, from a tag of 4 characters and a number. */
    static String idExpression(String tag) {
        if (tag.length() != 4) {
            throw new IllegalArgumentException("tag must have 4 characters: " + tag);
        }
        return "'" + tag + "0000-0000-4000-8000-' || LPAD(CAST(X AS VARCHAR), 12, '0')";
    }

    static String id(String tag, long n) {
        return tag + "0000-0000-4000-8000-" + String.format("%012d", n);
    }

    /**
     * {@code count} SUCCEEDED executions with their outbox rows pending and due (sent_at null, next_attempt_at in
     * the past), created a millisecond apart so that the drainer takes them oldest first.
     */
    static void pendingNotifications(HikariDataSource dataSource, String tag, int count) throws SQLException {
        String id = idExpression(tag);
        // due before the pinned today (Settings.TODAY) of the application's clock, not the machine's: an application
        // started with daycare.clock.today behind the real date would otherwise see them due days from now
        OffsetDateTime base = startOfToday().minusHours(1);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO executions (execution_id, status,"
                    + " source, input_document, result_document, started_at, stopped_at) SELECT " + id + ", 'SUCCEEDED',"
                    + " 'bench', REPLACE(REPLACE(REPLACE(?, '@N@', CAST(X AS VARCHAR)), '@F@', CAST(MOD(X, 5000) AS VARCHAR)),"
                    + " '@DOB@', '2021-03-27'), REPLACE(REPLACE(REPLACE(?, '@ID@', " + id + "), '@N@', CAST(X AS VARCHAR)),"
                    + " '@F@', CAST(MOD(X, 5000) AS VARCHAR)), DATEADD(MILLISECOND, X, CAST(? AS TIMESTAMP WITH TIME ZONE)), DATEADD(MILLISECOND, X, CAST(? AS TIMESTAMP WITH TIME ZONE))"
                    + " FROM SYSTEM_RANGE(1, ?)")) {
                insert.setString(1, INPUT);
                insert.setString(2, RESULT);
                insert.setObject(3, base);
                insert.setObject(4, base);
                insert.setInt(5, count);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_outbox (notification_id,"
                    + " execution_id, subject, attributes, message, created_at, attempts, next_attempt_at)"
                    + " SELECT e.execution_id || '_SUCCEEDED', e.execution_id, 'Registration confirmed', '{\"outcome\":\"SUCCEEDED\",\"executionId\":\"'"
                    + " || e.execution_id || '\"}', e.result_document, e.stopped_at, 0, e.stopped_at"
                    + " FROM executions e WHERE e.execution_id BETWEEN ? AND ?")) {
                insert.setString(1, id(tag, 1));
                insert.setString(2, id(tag, count));
                insert.executeUpdate();
            }
        }
    }

    /**
     * The growth figure's history: {@code count} finished executions over the year before today, in the suite's
     * mix (one family name for 200 children, 5,000 families a million; 8 in 10 SUCCEEDED with 9 events, a confirmation and its spots; 1 InvalidAge with 5 events; 1
     * InformationIncomplete with 3), every one with its notification sent. Written in slices of 50,000.
     */
    static void history(HikariDataSource dataSource, int count) throws SQLException {
        String id = idExpression("seed");
        OffsetDateTime yearAgo = startOfToday().minusDays(365);
        long stepMillis = Math.max(1, 365L * 24 * 3600 * 1000 / Math.max(1, count));
        String kind = "CASE MOD(X, 10) WHEN 8 THEN 'age' WHEN 9 THEN 'info' ELSE 'ok' END";
        // names in the order of X (zero-padded), so that every index is appended to in order: a bulk load
        String N = "LPAD(CAST(X AS VARCHAR), 7, '0')";
        String F = "LPAD(CAST(X / 200 AS VARCHAR), 5, '0')";
        String started = "DATEADD(MILLISECOND, X * " + stepMillis + ", CAST(? AS TIMESTAMP WITH TIME ZONE))";
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (int from = 1; from <= count; from += SLICE) {
                int to = Math.min(count, from + SLICE - 1);
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO executions (execution_id,"
                        + " status, source, input_document, result_document, error, cause, child_last_name,"
                        + " mother_email, father_email, started_at, stopped_at)"
                        + " SELECT " + id + ", CASE " + kind + " WHEN 'ok' THEN 'SUCCEEDED' ELSE 'FAILED' END, 'http',"
                        + " REPLACE(REPLACE(REPLACE(?, '@N@', " + N + "), '@F@', " + F + "),"
                        + "   '@DOB@', CASE " + kind + " WHEN 'age' THEN '2016-07-01' ELSE '2021-03-27' END),"
                        + " REPLACE(REPLACE(REPLACE(CASE " + kind + " WHEN 'ok' THEN ? WHEN 'age' THEN ? ELSE ? END,"
                        + "   '@ID@', " + id + "), '@N@', " + N + "), '@F@', " + F + "),"
                        + " CASE " + kind + " WHEN 'ok' THEN NULL WHEN 'age' THEN 'InvalidAge' ELSE 'InformationIncomplete' END,"
                        + " CASE " + kind + " WHEN 'ok' THEN NULL WHEN 'age' THEN 'The child''s age is not within the"
                        + "   accepted range.' ELSE 'The parent did not provide complete information.' END,"
                        + " 'family ' || " + F + ", 'parent' || " + N + " || '@example.com', 'ibrahim.diallo@example.com',"
                        + " " + started + ", DATEADD(MILLISECOND, 40, " + started + ")"
                        + " FROM SYSTEM_RANGE(?, ?)")) {
                    insert.setString(1, INPUT);
                    insert.setString(2, RESULT);
                    insert.setString(3, FAILED_AGE);
                    insert.setString(4, FAILED_INFO);
                    insert.setObject(5, yearAgo);
                    insert.setObject(6, yearAgo);
                    insert.setInt(7, from);
                    insert.setInt(8, to);
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO execution_events"
                        + " (execution_id, sequence_number, state_name, event_type, status_code, occurred_at)"
                        + " SELECT " + id + ", t.s, t.n, t.t, t.c, DATEADD(MILLISECOND, t.s * 4, " + started + ")"
                        + " FROM SYSTEM_RANGE(?, ?) JOIN (VALUES"
                        + " ('ok', 1, 'Check Information', 'ENTERED', NULL), ('ok', 2, 'Check Information', 'EXITED', 200),"
                        + " ('ok', 3, 'Check Age Range', 'ENTERED', NULL), ('ok', 4, 'Check Age Range', 'EXITED', 200),"
                        + " ('ok', 5, 'Check Spots Availability', 'ENTERED', NULL),"
                        + " ('ok', 6, 'Check Spots Availability', 'EXITED', 200),"
                        + " ('ok', 7, 'Confirm Registration', 'ENTERED', NULL), ('ok', 8, 'Confirm Registration', 'EXITED', 200),"
                        + " ('ok', 9, 'Succeeded', 'ENTERED', NULL),"
                        + " ('age', 1, 'Check Information', 'ENTERED', NULL), ('age', 2, 'Check Information', 'EXITED', 200),"
                        + " ('age', 3, 'Check Age Range', 'ENTERED', NULL), ('age', 4, 'Check Age Range', 'EXITED', 400),"
                        + " ('age', 5, 'Notify Invalid Age', 'ENTERED', NULL),"
                        + " ('info', 1, 'Check Information', 'ENTERED', NULL), ('info', 2, 'Check Information', 'EXITED', 400),"
                        + " ('info', 3, 'Notify Missing Info', 'ENTERED', NULL)"
                        + ") AS t(k, s, n, t, c) ON t.k = " + kind)) {
                    insert.setObject(1, yearAgo);
                    insert.setInt(2, from);
                    insert.setInt(3, to);
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO confirmed_registrations"
                        + " (execution_id, child_key, days_of_week, output_document, confirmed_at)"
                        + " SELECT e.execution_id, 'seed ' || SUBSTRING(e.execution_id, 30)"
                        + "   || '|' || e.child_last_name || '|2021-03-27',"
                        + " 'FRIDAY,MONDAY,WEDNESDAY', e.result_document, e.stopped_at"
                        + " FROM executions e WHERE e.execution_id BETWEEN ? AND ? AND e.status = 'SUCCEEDED'")) {
                    insert.setString(1, id("seed", from));
                    insert.setString(2, id("seed", to));
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_outbox"
                        + " (notification_id, execution_id, subject, attributes, message, created_at, attempts,"
                        + " next_attempt_at, sent_at)"
                        + " SELECT e.execution_id || '_' || e.status, e.execution_id, CASE WHEN e.error IS NULL THEN 'Registration confirmed'"
                        + "   ELSE 'Registration rejected: ' || e.error END,"
                        + " '{\"outcome\":\"' || e.status || '\",\"executionId\":\"' || e.execution_id || '\"}',"
                        + " e.result_document, e.stopped_at, 0, e.stopped_at, DATEADD(SECOND, 1, e.stopped_at)"
                        + " FROM executions e WHERE e.execution_id BETWEEN ? AND ?")) {
                    insert.setString(1, id("seed", from));
                    insert.setString(2, id("seed", to));
                    insert.executeUpdate();
                }
            }
            // the capacity rows as the application keeps them (it sets the totals again at start-up, keeping these)
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO day_capacity (day_of_week, total_spots, reserved_spots) VALUES (?, ?, ?)")) {
                int confirmed = count / 10 * 8;
                for (String day : new String[] {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}) {
                    insert.setString(1, day);
                    insert.setInt(2, Integer.parseInt(Settings.CAPACITY_PER_DAY));
                    insert.setInt(3, day.equals("TUESDAY") || day.equals("THURSDAY") ? 0 : confirmed);
                    insert.executeUpdate();
                }
            }
        }
    }

    /** Midnight UTC of the day every application of the suite takes for today (their clock zone is UTC). */
    private static OffsetDateTime startOfToday() {
        return OffsetDateTime.parse(Settings.TODAY + "T00:00:00Z");
    }
}
