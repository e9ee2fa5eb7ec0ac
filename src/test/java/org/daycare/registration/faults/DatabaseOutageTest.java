package org.daycare.registration.faults;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.CapturedLog;
import org.daycare.registration.support.RunningApplication;
import org.daycare.registration.support.StandalonePostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away while the application runs, then comes back: registrations are refused with 503 and
 * Retry-After in the meantime, a dropped file is tried on every poll and waits in the inbox, and everything resumes
 * without a restart.
 * A PostgreSQL of this test's own, so that stopping it disturbs no other test.
 */
class DatabaseOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    @TempDir
    Path postgresDir;

    @Test
    void registrationsAre503AndDropsWaitWhileTheDatabaseIsDownThenEverythingResumes() throws Exception {
        try (StandalonePostgres postgres = StandalonePostgres.start(postgresDir);
             RunningApplication app = RunningApplication.start(dataDir, postgres.settings());
             CapturedLog log = CapturedLog.start()) {
            assertThat(app.postRegistration(Registrations.successCaseForAnotherChild()).statusCode()).isEqualTo(201);

            postgres.stop();
            HttpResponse<String> refused = app.postRegistration(Registrations.successCaseForAnotherChild());
            Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
            Files.writeString(dataDir.resolve("waiting.json.tmp"), Registrations.successCaseForAnotherChild());
            Files.move(dataDir.resolve("waiting.json.tmp"), inbox.resolve("waiting.json"));
            // The inbox is polled and the file tried while the database is down: each try fails to take the file's
            // lock in the database, or, with the lock taken, rolls the execution back, and says the file stays
            // (each try waits up to daycare.db.connection-timeout-ms, 3 s, for a connection).
            await("two tries of the dropped file while the database is down")
                    .atMost(Duration.ofSeconds(60)).until(() -> log.count("stays in the inbox") >= 2);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("ServiceUnavailable");
            assertThat(inbox.resolve("waiting.json")).exists();
            assertThat(dataDir.resolve("outbox/waiting.result.json")).doesNotExist();

            postgres.restart();
            Path result = dataDir.resolve("outbox/waiting.result.json");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(result));

            assertThat(JSON.readTree(result.toFile()).get("status").asText()).isEqualTo("SUCCEEDED");
            // the original leaves the inbox just after its result is written
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(inbox.resolve("waiting.json")));
            assertThat(app.postRegistration(Registrations.successCaseForAnotherChild()).statusCode()).isEqualTo(201);
            // /observe/health holds readiness, DOWN while the database was away (see HealthTest); it recovers
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    app.send(java.net.http.HttpRequest.newBuilder(app.uri("/observe/health")).GET()).statusCode() == 200);
        }
    }
}
