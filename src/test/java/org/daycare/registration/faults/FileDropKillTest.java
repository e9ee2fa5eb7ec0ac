package org.daycare.registration.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL in the middle of a burst of 1,000 dropped files, then a restart on the same data: every file ends with
 * exactly one result document and exactly one execution (a confirmation), no spot is held twice, and every
 * execution has its notification.
 */
class FileDropKillTest {

    private static final int FILES = 1000;

    @TempDir
    Path dataDir;

    @Test
    void afterAKillMidBurstEveryFileHasOneResultAndNoSpotIsHeldTwice() throws Exception {
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        Path outbox = dataDir.resolve("outbox");
        Map<String, String> fastInbox = Map.of("daycare.capacity.per-day", "100000", "daycare.inbox.min-age", "100",
                "daycare.inbox.poll-delay", "100");
        try (ApplicationProcess killed = ApplicationProcess.start(dataDir, Path.of("target/file-drop-kill-jvm.log"), fastInbox)) {
            for (int i = 0; i < FILES; i++) {
                Path staged = Files.writeString(dataDir.resolve("drop-" + i + ".tmp"), Registrations.successCaseForAnotherChild());
                Files.move(staged, inbox.resolve("drop-" + i + ".json"));
            }
            // Killed as soon as the burst is under way, polled often, so that most files are still unanswered.
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                    .until(() -> count(outbox, ".result.json") >= 20);
            killed.process().destroyForcibly().waitFor();
        }
        // Read once the process is dead: the restart below must have had files left to answer, or it recovers nothing.
        int answeredBeforeTheKill = count(outbox, ".result.json");
        assertThat(answeredBeforeTheKill).as("result documents when the process was dead: the kill landed mid-burst")
                .isLessThan(FILES);

        try (RunningApplication restarted = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", "100000"))) {
            await().atMost(Duration.ofSeconds(180)).until(() -> count(inbox, ".json") == 0 && count(outbox, ".result.json") == FILES);

            int succeeded = sql(restarted, "SELECT COUNT(*) FROM executions WHERE status = 'SUCCEEDED'");
            int ended = sql(restarted, "SELECT COUNT(*) FROM executions");
            System.out.printf("killed with %d of %d files answered; after the restart: %d executions, %d succeeded%n",
                    answeredBeforeTheKill, FILES, ended, succeeded);

            assertThat(count(outbox, ".result.json")).isEqualTo(FILES);
            try (Stream<Path> everything = Files.list(outbox)) {
                assertThat(everything.count()).as("nothing but the result documents, none half-written").isEqualTo(FILES);
            }
            assertThat(count(dataDir.resolve("archive"), ".json")).as("every original kept").isEqualTo(FILES);
            assertThat(succeeded).as("one confirmation per file (each file is a different child)").isEqualTo(FILES);
            assertThat(ended).as("exactly one execution per file").isEqualTo(FILES);
            assertThat(sql(restarted, "SELECT COUNT(*) FROM confirmed_registrations")).isEqualTo(FILES);
            assertThat(sql(restarted, "SELECT MAX(reserved_spots) FROM day_capacity")).as("no spot held twice").isEqualTo(FILES);
            assertThat(sql(restarted, "SELECT COUNT(*) FROM notification_outbox")).as("every end notified").isEqualTo(ended);
        }
    }

    private static int count(Path directory, String suffix) throws Exception {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        // not a result document still being written (.writing-NAME.result.json): it is no answer yet
        try (Stream<Path> files = Files.list(directory)) {
            return (int) files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(suffix) && !name.startsWith(".")).count();
        }
    }

    private static int sql(RunningApplication app, String query) throws Exception {
        DataSource dataSource = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getInt(1);
        }
    }
}
