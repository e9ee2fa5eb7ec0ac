package org.daycare.registration.faults;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away while the application runs, then comes back: registrations are refused with 503 and
 * Retry-After in the meantime, a dropped file waits in the inbox, and everything resumes without a restart.
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
        EmbeddedPostgres postgres = startPostgres(0);
        int port = postgres.getPort();
        String url = postgres.getJdbcUrl("postgres", "postgres").replace("localhost", "127.0.0.1");
        try (RunningApplication app = RunningApplication.start(dataDir, Map.of("daycare.db.url", url,
                "daycare.db.user", "postgres", "daycare.db.password", "postgres"))) {
            assertThat(app.postRegistration(Registrations.successCaseForAnotherChild()).statusCode()).isEqualTo(201);

            postgres.close();
            HttpResponse<String> refused = app.postRegistration(Registrations.successCaseForAnotherChild());
            Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
            Files.writeString(dataDir.resolve("waiting.json.tmp"), Registrations.successCaseForAnotherChild());
            Files.move(dataDir.resolve("waiting.json.tmp"), inbox.resolve("waiting.json"));
            Thread.sleep(3000); // several polls of the inbox while the database is down

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("ServiceUnavailable");
            assertThat(inbox.resolve("waiting.json")).exists();
            assertThat(dataDir.resolve("outbox/waiting.result.json")).doesNotExist();

            postgres = startPostgres(port);
            Path result = dataDir.resolve("outbox/waiting.result.json");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(result));

            assertThat(JSON.readTree(result.toFile()).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(inbox.resolve("waiting.json")).doesNotExist();
            assertThat(app.postRegistration(Registrations.successCaseForAnotherChild()).statusCode()).isEqualTo(201);
            // /observe/health holds readiness, DOWN while the database was away (see HealthTest); it recovers
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    app.send(java.net.http.HttpRequest.newBuilder(app.uri("/observe/health")).GET()).statusCode() == 200);
            JsonNode running = JSON.readTree(app.admin("/executions?status=RUNNING").body()).get("executions");
            assertThat(running).as("no execution is left half-done").isEmpty();
        } finally {
            postgres.close();
        }
    }

    /** Port 0: any free port; on a restart, the same port and the same data directory. */
    private EmbeddedPostgres startPostgres(int port) throws Exception {
        File log = new File("target/database-outage-postgres.log");
        return EmbeddedPostgres.builder()
                .setDataDirectory(postgresDir)
                .setCleanDataDirectory(false)
                .setPort(port == 0 ? freePort() : port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setRegisterShutdownHook(false)
                .start();
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
