package org.daycare.registration.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
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
