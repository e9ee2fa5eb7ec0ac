package org.daycare.registration.admin;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.CapturedLog;
import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin endpoints when the database fails under them, on a PostgreSQL database of this test's own: a statement
 * refused (its table gone) is answered 500, the database unreachable 503 with Retry-After, both with a fixed document
 * and no-store. The log says which request failed and the exception's class, never the driver's message (it may
 * quote what was searched for) nor anything the client sent but an execution id; no stack trace above DEBUG.
 */
class AdminFailuresTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEARCHED_NAME = "Vandermeulenhoek";
    private static final String SEARCHED_EMAIL = "quintessa.vandermeulenhoek@example.net";

    @TempDir
    Path dataDir;

    @Test
    void aFailedStatementIs500AndAnUnreachableDatabase503WithoutDetailInTheAnswerOrTheLog() throws Exception {
        PostgresServer.PostgresDatabase database = PostgresServer.freshDatabase();
        String serverUrl = database.jdbcUrl().replace("/" + database.name(), "/postgres");
        try (CapturedLog log = CapturedLog.start();
             RunningApplication app = RunningApplication.start(dataDir, Map.of("daycare.db.url", database.jdbcUrl(),
                     "daycare.db.user", database.user(), "daycare.db.password", database.password()))) {
            String executionId = JSON.readTree(app.postRegistration(Registrations.SUCCESS_CASE).body())
                    .get("executionId").asText();
            assertThat(app.admin("/executions?childLastName=" + SEARCHED_NAME).statusCode()).isEqualTo(200);

            // a statement the database refuses: the table was renamed away under the running service
            execute(database.jdbcUrl(), database, "ALTER TABLE executions RENAME TO executions_elsewhere");
            HttpResponse<String> search = app.admin("/executions?childLastName=" + SEARCHED_NAME);
            HttpResponse<String> read = app.admin("/executions/" + executionId);
            // a path that is not an execution id of ours is not logged either: it is whatever the client sent
            HttpResponse<String> readByName = app.admin("/executions/" + SEARCHED_NAME);
            execute(database.jdbcUrl(), database, "ALTER TABLE executions_elsewhere RENAME TO executions");

            // the database stops taking connections, and the open ones are cut
            execute(serverUrl, database, "ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS false");
            execute(serverUrl, database, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + database.name() + "'");
            HttpResponse<String> duringOutage;
            try {
                duringOutage = app.admin("/executions?parentEmail=" + SEARCHED_EMAIL);
            } finally {
                execute(serverUrl, database, "ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS true");
            }

            for (HttpResponse<String> failed : List.of(search, read, readByName)) {
                assertThat(failed.statusCode()).isEqualTo(500);
                assertThat(JSON.readTree(failed.body())).isEqualTo(JSON.readTree(
                        "{\"error\":\"InternalError\",\"cause\":\"The request could not be answered because of an internal error.\"}"));
                assertThat(failed.headers().allValues("Cache-Control")).containsExactly("no-store");
            }
            assertThat(duringOutage.statusCode()).isEqualTo(503);
            assertThat(duringOutage.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(duringOutage.headers().allValues("Cache-Control")).containsExactly("no-store");
            assertThat(JSON.readTree(duringOutage.body())).isEqualTo(JSON.readTree(
                    "{\"error\":\"ServiceUnavailable\",\"cause\":\"The database cannot be reached right now. Retry shortly.\"}"));
            // and answered again once the database is back (the pool reconnects in the background)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> app.admin("/executions?parentEmail=" + SEARCHED_EMAIL).statusCode() == 200);

            List<ILoggingEvent> logged = log.events();
            assertThat(logged).anySatisfy(event -> assertLogged(event, Level.ERROR,
                    "Admin request failed: org.daycare.registration.store.StoreException"));
            assertThat(logged).anySatisfy(event -> assertLogged(event, Level.ERROR,
                    "Admin request for execution " + executionId + " failed: org.daycare.registration.store.StoreException"));
            assertThat(logged).anySatisfy(event -> assertLogged(event, Level.WARN,
                    "Admin request answered 503: org.daycare.registration.store.StoreUnavailableException"));
            String text = log.text();
            assertThat(text).as("nothing searched for reaches the log")
                    .doesNotContainIgnoringCase(SEARCHED_NAME).doesNotContainIgnoringCase(SEARCHED_EMAIL);
            // The pool's own warnings about broken connections carry the driver's connection errors (no statement, so
            // no value in them); everything else, the admin routes and Camel's error handling among them, carries none.
            List<ILoggingEvent> ours = logged.stream().filter(event -> !event.getLoggerName().startsWith("com.zaxxer.hikari"))
                    .toList();
            assertThat(ours).as("no stack trace above DEBUG").allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
            assertThat(ours).as("no driver message").noneSatisfy(event -> assertThat(event.getFormattedMessage())
                    .containsAnyOf("relation \"executions\"", "PSQLException", "not currently accepting",
                            "terminating connection"));
        }
    }

    private static void assertLogged(ILoggingEvent event, Level level, String message) {
        assertThat(event.getLevel()).isEqualTo(level);
        assertThat(event.getFormattedMessage()).isEqualTo(message);
    }

    private static void execute(String url, PostgresServer.PostgresDatabase database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, database.user(), database.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
