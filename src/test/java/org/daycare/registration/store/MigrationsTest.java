package org.daycare.registration.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.PostgresServer.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Flyway migrations in {@code db/migration} on both databases the application supports: the embedded H2
 * (file mode, as the application runs it) and PostgreSQL (a fresh database on the shared embedded server).
 */
@DisplayName("Flyway migrations")
class MigrationsTest {

    private static final List<String> TABLES = List.of(
            "executions", "execution_events", "day_capacity", "confirmed_registrations", "notification_outbox",
            "camel_messageprocessed");

    @TempDir
    Path tempDir;

    enum Target {
        H2_FILE {
            @Override
            Jdbc target(Path tempDir) {
                // the options the application's embedded H2 uses (DaycareConfiguration)
                return new Jdbc(
                        "jdbc:h2:file:" + tempDir.resolve("db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                        "sa", "");
            }
        },
        POSTGRESQL {
            @Override
            Jdbc target(Path tempDir) {
                PostgresDatabase db = PostgresServer.freshDatabase();
                return new Jdbc(db.jdbcUrl(), db.user(), db.password());
            }
        };

        abstract Jdbc target(Path tempDir);

        record Jdbc(String url, String user, String password) {
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @DisplayName("migrate creates every table on an empty database, and a second migrate is a no-op")
    void migrateThenMigrateAgain(Target target) throws SQLException {
        Target.Jdbc db = target.target(tempDir);
        Flyway flyway = Flyway.configure()
                .dataSource(db.url(), db.user(), db.password())
                .locations("classpath:db/migration")
                .load();

        MigrateResult first = flyway.migrate();

        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted).isPositive();
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(flyway.info().applied()).hasSize(first.migrationsExecuted);
        assertThat(tables(db)).containsAll(TABLES);
        int historyRows = historyRows(db);

        MigrateResult second = flyway.migrate();

        assertThat(second.success).isTrue();
        assertThat(second.migrationsExecuted).isZero();
        assertThat(second.migrations).isEmpty();
        assertThat(second.targetSchemaVersion).isNull(); // nothing migrated this time
        assertThat(second.initialSchemaVersion).isEqualTo(first.targetSchemaVersion);
        assertThat(flyway.info().pending()).isEmpty();
        assertThat(historyRows(db)).isEqualTo(historyRows);
        assertThat(tables(db)).containsAll(TABLES);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @DisplayName("V5 keys the outbox by notification: existing rows keep their content under execution id _ outcome")
    void existingNotificationsAreKeyedByExecutionAndOutcome(Target target) throws SQLException {
        Target.Jdbc db = target.target(tempDir);
        // the schema as deployed before V5, with one pending and one sent notification
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .target("2").load().migrate();
        execute(db, "INSERT INTO executions (execution_id, status, source, input_document, started_at, stopped_at)"
                + " VALUES ('e-ok', 'SUCCEEDED', 'http', '{}', TIMESTAMP WITH TIME ZONE '2026-11-25 09:00:00+00',"
                + " TIMESTAMP WITH TIME ZONE '2026-11-25 09:00:01+00'),"
                + " ('e-ko', 'FAILED', 'http', '{}', TIMESTAMP WITH TIME ZONE '2026-11-25 09:00:00+00',"
                + " TIMESTAMP WITH TIME ZONE '2026-11-25 09:00:01+00')");
        execute(db, "INSERT INTO notification_outbox (execution_id, subject, attributes, message, created_at,"
                + " attempts, next_attempt_at, sent_at, last_error) VALUES"
                + " ('e-ok', 'Registration confirmed', '{\"outcome\":\"SUCCEEDED\"}', '{\"a\":1}',"
                + " TIMESTAMP WITH TIME ZONE '2026-11-25 09:00:01+00', 3, TIMESTAMP WITH TIME ZONE '2026-11-25 09:05:00+00',"
                + " NULL, 'SnsException: down'),"
                + " ('e-ko', 'Registration rejected: NoSpots', '{\"outcome\":\"FAILED\"}', '{\"b\":2}',"
                + " TIMESTAMP WITH TIME ZONE '2026-11-25 09:00:01+00', 0, TIMESTAMP WITH TIME ZONE '2026-11-25 09:00:01+00',"
                + " TIMESTAMP WITH TIME ZONE '2026-11-25 09:00:02+00', NULL)");

        assertThat(Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .target("5").load().migrate().success).isTrue();

        assertThat(rows(db, "SELECT notification_id, execution_id, subject, attributes, message, attempts,"
                + " last_error, sent_at IS NULL, next_attempt_at = TIMESTAMP WITH TIME ZONE '2026-11-25 09:05:00+00'"
                + " FROM notification_outbox ORDER BY notification_id")).containsExactly(
                List.of("e-ko_FAILED", "e-ko", "Registration rejected: NoSpots", "{\"outcome\":\"FAILED\"}",
                        "{\"b\":2}", "0", "null", "FALSE", "FALSE"),
                List.of("e-ok_SUCCEEDED", "e-ok", "Registration confirmed", "{\"outcome\":\"SUCCEEDED\"}",
                        "{\"a\":1}", "3", "SnsException: down", "TRUE", "TRUE"));
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            DatabaseMetaData meta = connection.getMetaData();
            assertThat(primaryKey(meta)).containsExactly("notification_id");
            assertThat(indexColumns(meta, "notification_outbox_pending")).containsExactly("sent_at", "next_attempt_at");
        }
        // another outcome of the same execution is a row of its own; the execution must still exist
        execute(db, "INSERT INTO notification_outbox (notification_id, execution_id, subject, attributes, message,"
                + " created_at, attempts, next_attempt_at) VALUES ('e-ok_CANCELLED', 'e-ok', 'Registration cancelled',"
                + " '{}', '{}', CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)");
        assertThatThrownBy(() -> execute(db, "INSERT INTO notification_outbox (notification_id, execution_id, subject,"
                + " attributes, message, created_at, attempts, next_attempt_at) VALUES ('nobody_SUCCEEDED', 'nobody',"
                + " 's', '{}', '{}', CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)"))
                .isInstanceOf(SQLException.class)
                // foreign key violation: PostgreSQL's 23503, H2's "parent missing" 23506
                .extracting(e -> ((SQLException) e).getSQLState()).isIn("23503", "23506");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    @DisplayName("V6 drops the outbox's foreign key; its rows stay")
    void lighterCommitsKeepTheOutboxRows(Target target) throws SQLException {
        Target.Jdbc db = target.target(tempDir);
        Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .target("5").load().migrate();
        execute(db, "INSERT INTO executions (execution_id, status, source, input_document, started_at)"
                + " VALUES ('e-1', 'SUCCEEDED', 'http', '{}', TIMESTAMP WITH TIME ZONE '2026-11-18 09:00:00+00')");
        execute(db, "INSERT INTO notification_outbox (notification_id, execution_id, subject, attributes, message,"
                + " created_at, attempts, next_attempt_at) VALUES ('e-1_SUCCEEDED', 'e-1', 's', '{}', '{}',"
                + " CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)");
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            assertThat(importedKeys(connection.getMetaData())).isNotEmpty();
        }

        assertThat(Flyway.configure().dataSource(db.url(), db.user(), db.password()).locations("classpath:db/migration")
                .target("6").load().migrate().success).isTrue();

        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            assertThat(importedKeys(connection.getMetaData())).isEmpty();
        }
        assertThat(rows(db, "SELECT notification_id FROM notification_outbox")).containsExactly(List.of("e-1_SUCCEEDED"));
    }

    /** The foreign keys of the outbox table (the executions it references). */
    private static List<String> importedKeys(DatabaseMetaData meta) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (ResultSet rows = meta.getImportedKeys(null, null, outboxTable(meta))) {
            while (rows.next()) {
                keys.add(rows.getString("FK_NAME"));
            }
        }
        return keys;
    }

    private static void execute(Target.Jdbc db, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    /** Every row, each column as text (booleans upper-cased: H2 and PostgreSQL print them differently). */
    private static List<List<String>> rows(Target.Jdbc db, String sql) throws SQLException {
        List<List<String>> result = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = rows.getObject(i);
                    row.add(value instanceof Boolean b ? b.toString().toUpperCase() : String.valueOf(value));
                }
                result.add(row);
            }
        }
        return result;
    }

    /** The outbox's primary key columns, lower-cased (H2 keeps names upper-case, PostgreSQL lower-case). */
    private static List<String> primaryKey(DatabaseMetaData meta) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rows = meta.getPrimaryKeys(null, null, outboxTable(meta))) {
            while (rows.next()) {
                columns.add(rows.getString("COLUMN_NAME").toLowerCase());
            }
        }
        return columns;
    }

    /** The columns of one of the outbox's indexes, lower-cased. */
    private static List<String> indexColumns(DatabaseMetaData meta, String index) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (ResultSet rows = meta.getIndexInfo(null, null, outboxTable(meta), false, false)) {
            while (rows.next()) {
                if (index.equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
                    columns.add(rows.getString("COLUMN_NAME").toLowerCase()); // rows come in ORDINAL_POSITION order
                }
            }
        }
        return columns;
    }

    private static String outboxTable(DatabaseMetaData meta) throws SQLException {
        return meta.storesUpperCaseIdentifiers() ? "NOTIFICATION_OUTBOX" : "notification_outbox";
    }

    /** Lower-cased names of the base tables in the connection's default schema (PUBLIC on H2, public on PostgreSQL). */
    private static List<String> tables(Target.Jdbc db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT LOWER(table_name) FROM information_schema.tables"
                             + " WHERE LOWER(table_schema) = 'public' AND table_type = 'BASE TABLE'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static int historyRows(Target.Jdbc db) throws SQLException {
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\"")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
