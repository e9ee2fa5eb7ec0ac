package org.daycare.registration.faults;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.CapturedLog;
import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.daycare.registration.support.StandalonePostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dropped file whose lock is taken, then whose execution finds the database gone, is rolled back; its lock cannot
 * be released then (the database is gone too). Once the database is back, the lock expires and the file is taken
 * again and answered, once. A PostgreSQL of this test's own, so that stopping it disturbs no other test.
 */
class InboxLockOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long LOCK_MAX_AGE_MS = 10000;

    @TempDir
    Path dataDir;
    @TempDir
    Path postgresDir;

    @Test
    void aDropRolledBackWhileTheDatabaseIsDownIsTakenAgainOnceItIsBack() throws Exception {
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        Path file = inbox.resolve("caught.json");
        Path result = dataDir.resolve("outbox/caught.result.json");
        try (StandalonePostgres postgres = StandalonePostgres.start(postgresDir);
             CapturedLog log = CapturedLog.start()) {
            Map<String, String> settings = new HashMap<>(postgres.settings());
            // long enough that a file kept changing holds the consumer in the read lock's wait, its lock taken
            settings.put("daycare.inbox.min-age", "500");
            settings.put("daycare.db.connection-timeout-ms", "1000");
            // longer than the outage, so that the lock is still fresh when the database is back: it must then expire
            // because nothing refreshes it any more, not because the outage outlasted it
            settings.put("daycare.inbox.lock-max-age-ms", String.valueOf(LOCK_MAX_AGE_MS));
            settings.put("daycare.inbox.lock-keep-alive-ms", "300");
            try (RunningApplication app = RunningApplication.start(dataDir, settings)) {
                // the whole document, then trailing blanks every 100 ms: complete, but still changing
                Files.writeString(file, Registrations.successCaseForAnotherChild());
                AtomicBoolean writing = new AtomicBoolean(true);
                Thread writer = new Thread(() -> keepAppending(file, writing));
                long stopped;
                writer.start();
                try {
                    await().atMost(Duration.ofSeconds(20)).until(() -> locks(postgres) == 1);
                    stopped = System.nanoTime();
                    postgres.stop();
                } finally {
                    writing.set(false);
                    writer.join();
                }

                await().atMost(Duration.ofSeconds(30)).until(() -> log.count("could not be released") >= 1);
                assertThat(log.count("Database unavailable, the dropped file")).as("rolled back").isPositive();
                assertThat(file).as("still in the inbox").exists();
                assertThat(result).doesNotExist();

                postgres.restart();
                long outageMs = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
                assertThat(outageMs).as("the outage is shorter than the lock's max age").isLessThan(LOCK_MAX_AGE_MS - 2000);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(result) && !Files.exists(file));

                assertThat(JSON.readTree(result.toFile()).get("status").asText()).isEqualTo("SUCCEEDED");
                assertThat(log.count("had expired (its holder stopped, or could not release it): taken over")).isEqualTo(1);
                assertThat(sql(postgres, "SELECT COUNT(*) FROM executions WHERE source = 'file:caught.json'")).isEqualTo(1);
                await().atMost(Duration.ofSeconds(10)).until(() -> locks(postgres) == 0);
            }
        }
    }

    private static void keepAppending(Path file, AtomicBoolean writing) {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            while (writing.get()) {
                out.write(" ".getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int locks(StandalonePostgres postgres) throws Exception {
        return sql(postgres, "SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED");
    }

    private static int sql(StandalonePostgres postgres, String query) throws Exception {
        Map<String, String> settings = postgres.settings();
        try (Connection connection = DriverManager.getConnection(settings.get("daycare.db.url"), PostgresServer.USER,
                PostgresServer.PASSWORD);
             PreparedStatement statement = connection.prepareStatement(query);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }
}
