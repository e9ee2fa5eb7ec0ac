package org.daycare.registration.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SIGTERM in the middle of traffic: in-flight work finishes, the inbox stops being consumed, the JVM exits in time. */
class GracefulShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DROPPED_FILES = 300;

    @TempDir
    Path dataDir;

    @Test
    void sigtermFinishesInFlightWorkLeavesUnreadDropsAloneAndExits() throws Exception {
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        ExecutorService clients = Executors.newFixedThreadPool(8);
        AtomicInteger answered = new AtomicInteger();
        long exitMillis;
        int exitCode;
        try (ApplicationProcess app = ApplicationProcess.start(dataDir, Path.of("target/graceful-shutdown-jvm.log"),
                Map.of("daycare.capacity.per-day", "10000", "daycare.inbox.min-age", "100"))) {
            for (int i = 0; i < DROPPED_FILES; i++) {
                Path staged = Files.writeString(dataDir.resolve("drop-" + i + ".tmp"), Registrations.successCaseForAnotherChild());
                Files.move(staged, inbox.resolve("drop-" + i + ".json"));
            }
            for (int i = 0; i < 2000; i++) {
                clients.submit(() -> app.post(Registrations.successCaseForAnotherChild())
                        .ifPresent(response -> answered.incrementAndGet()));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() >= 20
                    && countFiles(dataDir.resolve("outbox"), ".result.json") >= 20);

            long signalled = System.nanoTime();
            app.process().destroy(); // SIGTERM
            boolean exited = app.process().waitFor(60, TimeUnit.SECONDS);
            exitMillis = (System.nanoTime() - signalled) / 1_000_000;
            assertThat(exited).as("the JVM exits after SIGTERM").isTrue();
            exitCode = app.process().exitValue();
        } finally {
            clients.shutdownNow();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }

        int unread = countFiles(inbox, ".json");
        int answeredFiles = countFiles(dataDir.resolve("outbox"), ".result.json");
        int archived = countFiles(dataDir.resolve("archive"), ".json");
        System.out.printf("SIGTERM: exited with %d after %d ms; %d drops answered, %d left unread; %d HTTP answers%n",
                exitCode, exitMillis, answeredFiles, unread, answered.get());
        assertThat(exitCode).isIn(0, 143);
        assertThat(answeredFiles + unread).as("every drop is either answered or untouched").isEqualTo(DROPPED_FILES);
        assertThat(archived).isEqualTo(answeredFiles);
        assertThat(unread).as("the inbox stopped being consumed").isPositive();

        // Restarted with a long staleness threshold: nothing the stopped process accepted was left half-done.
        try (RunningApplication restarted = RunningApplication.start(dataDir,
                Map.of("daycare.executions.stale-after-seconds", "3600"))) {
            assertThat(JSON.readTree(restarted.admin("/executions?status=RUNNING").body()).get("executions")).isEmpty();
        }
    }

    private static int countFiles(Path directory, String suffix) throws Exception {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> matching = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            return matching.size();
        }
    }
}
