package org.daycare.registration.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.SqlCount;
import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.PostgresServer.PostgresDatabase;
import org.daycare.registration.support.Registrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances (two JVMs) on one PostgreSQL sharing one inbox, each with a data directory of its own (so its own
 * outbox and archive: a file taken by both would leave a result and an archived original in each): every dropped file
 * is taken by exactly one. Then one instance is killed (SIGKILL) while it holds a file's lock: the other takes that
 * lock over once it expires and finishes everything, and the killed one, restarted, takes its share of new files and
 * duplicates nothing.
 */
class SharedInboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FILES = 1000;
    private static final int LATER_FILES = 200;
    /** Short, so that the test does not wait long for a dead instance's lock; the keep-alive well inside it. */
    private static final long LOCK_MAX_AGE_MS = 4000;
    private static final long LOCK_KEEP_ALIVE_MS = 300;

    @TempDir
    Path work;

    @Test
    void everyFileDroppedIntoTheSharedInboxIsTakenByExactlyOneOfTwoInstances() throws Exception {
        PostgresDatabase database = PostgresServer.freshDatabase();
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        Path first = work.resolve("first");
        Path second = work.resolve("second");
        Path firstLog = Path.of("target/shared-inbox-first.log");
        Path secondLog = Path.of("target/shared-inbox-second.log");
        Path staged = stage("drop-", FILES);
        List<ApplicationProcess> instances = startBoth(first, firstLog, second, secondLog, settings(database, inbox));
        try {
            moveAll(staged, inbox);
            await().atMost(Duration.ofSeconds(120)).until(() -> archived(first, second).size() == FILES);
            // a lock is released just after its file is archived
            await().atMost(Duration.ofSeconds(10)).until(() -> lockedFiles(database.dataSource()).isEmpty());
        } finally {
            for (ApplicationProcess instance : instances) {
                instance.close();
            }
        }

        int takenByFirst = count(first.resolve("archive"));
        int takenBySecond = count(second.resolve("archive"));
        long refusals = occurrences(firstLog, "locked by another instance") + occurrences(secondLog, "locked by another instance");
        System.out.printf("%d files: %d taken by the first instance, %d by the second; %d lock refusals%n",
                FILES, takenByFirst, takenBySecond, refusals);

        assertExactlyOnce(database, List.of(first, second), names("drop-", FILES), List.of());
        assertThat(takenByFirst).as("both instances took files").isPositive();
        assertThat(takenBySecond).as("both instances took files").isPositive();
        assertThat(refusals).as("the instances contended for the same files").isPositive();
    }

    @Test
    void whenAnInstanceIsKilledHoldingAFileTheOtherTakesItOverAndTheRestartedOneDuplicatesNothing() throws Exception {
        PostgresDatabase database = PostgresServer.freshDatabase();
        DataSource db = database.dataSource();
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        Path killed = work.resolve("killed");
        Path survivor = work.resolve("survivor");
        Path killedLog = Path.of("target/shared-inbox-killed.log");
        Path survivorLog = Path.of("target/shared-inbox-survivor.log");
        Map<String, String> settings = settings(database, inbox);
        Path staged = stage("drop-", FILES);
        List<ApplicationProcess> instances = startBoth(killed, killedLog, survivor, survivorLog, settings);
        List<String> orphaned;
        int answeredAtTheKill;
        long killedAt;
        try {
            moveAll(staged, inbox);
            await().atMost(Duration.ofSeconds(120)).until(() -> results(killed, survivor).size() >= FILES / 10);
            orphaned = killHoldingALock(instances.get(0), db, inbox);
            killedAt = System.nanoTime();
            answeredAtTheKill = results(killed, survivor).size();

            await().atMost(Duration.ofSeconds(120)).until(() -> archived(killed, survivor).size() == FILES);
            long finishedAfterMs = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            System.out.printf("killed holding %d lock(s) with %d of %d files answered; the survivor finished %d ms later"
                    + " (lock max age %d ms)%n", orphaned.size(), answeredAtTheKill, FILES, finishedAfterMs, LOCK_MAX_AGE_MS);
            assertThat(answeredAtTheKill).as("killed before the last file was answered").isLessThan(FILES);
            assertThat(occurrences(survivorLog, "had expired (its holder stopped, or could not release it): taken over"))
                    .as("the survivor took over the dead instance's lock").isEqualTo(orphaned.size());
            await().atMost(Duration.ofSeconds(10)).until(() -> lockedFiles(db).isEmpty());

            Path restartedLog = Path.of("target/shared-inbox-restarted.log");
            instances.set(0, ApplicationProcess.start(killed, restartedLog, settings));
            moveAll(stage("later-", LATER_FILES), inbox);
            await().atMost(Duration.ofSeconds(120)).until(() -> archived(killed, survivor).size() == FILES + LATER_FILES);
            long laterTakenByRestarted = archived(killed).stream().filter(name -> name.startsWith("later-")).count();
            System.out.printf("after the restart: %d of %d new files taken by the restarted instance%n",
                    laterTakenByRestarted, LATER_FILES);
            assertThat(laterTakenByRestarted).as("the restarted instance takes files again").isPositive();
            await().atMost(Duration.ofSeconds(10)).until(() -> lockedFiles(db).isEmpty());
        } finally {
            for (ApplicationProcess instance : instances) {
                instance.close();
            }
        }

        List<String> all = new ArrayList<>(names("drop-", FILES));
        all.addAll(names("later-", LATER_FILES));
        assertExactlyOnce(database, List.of(killed, survivor), all, orphaned);
    }

    /**
     * Every file has one result document, one archived original and one execution, and no lock is left. A file whose
     * lock the killed instance held may have been answered by it (its execution committed, the file not yet moved)
     * and again by the other: then both answers are the same document, from the one execution.
     */
    private static void assertExactlyOnce(PostgresDatabase database, List<Path> dataDirs, List<String> names,
            List<String> answeredTwiceAtMost) throws Exception {
        Map<String, List<Path>> results = new TreeMap<>();
        for (Path dataDir : dataDirs) {
            for (Path result : list(dataDir.resolve("outbox"))) {
                String name = result.getFileName().toString();
                results.computeIfAbsent(name.substring(0, name.indexOf('.')), n -> new ArrayList<>()).add(result);
            }
        }
        assertThat(results.keySet()).as("a result for every file, and for nothing else").containsExactlyInAnyOrderElementsOf(names);
        Map<String, List<Path>> answeredTwice = new TreeMap<>();
        for (Map.Entry<String, List<Path>> result : results.entrySet()) {
            if (answeredTwiceAtMost.contains(result.getKey()) && result.getValue().size() == 2) {
                assertThat(JSON.readTree(result.getValue().get(0).toFile()))
                        .isEqualTo(JSON.readTree(result.getValue().get(1).toFile()));
            } else if (result.getValue().size() != 1) {
                answeredTwice.put(result.getKey(), result.getValue());
            }
        }
        assertThat(answeredTwice).as("files with more than one result document").isEmpty();
        assertThat(archived(dataDirs.toArray(Path[]::new))).as("one archived original per file")
                .containsExactlyInAnyOrderElementsOf(names);
        DataSource db = database.dataSource();
        assertThat(SqlCount.of(db, "SELECT COUNT(*) FROM executions")).as("one execution per file").isEqualTo(names.size());
        assertThat(SqlCount.of(db, "SELECT COUNT(DISTINCT source) FROM executions")).isEqualTo(names.size());
        assertThat(SqlCount.of(db, "SELECT COUNT(*) FROM executions WHERE status = 'SUCCEEDED'")).isEqualTo(names.size());
        assertThat(lockedFiles(db)).as("no lock left").isEmpty();
    }

    /**
     * SIGKILLs the instance at a moment it holds a file's lock, the file still in the inbox. To find one, it is frozen
     * (SIGSTOP) long enough that its locks, no longer refreshed, are older than any lock the other instance holds
     * (refreshed every keep-alive interval), yet younger than the max age, so that nobody takes them meanwhile; a lock
     * counts as its own if it is not refreshed either in a further moment. If it holds none, it runs on (SIGCONT) and
     * is tried again a moment later. Returns the names of the files it held.
     */
    private static List<String> killHoldingALock(ApplicationProcess instance, DataSource db, Path inbox) throws Exception {
        long pid = instance.process().pid();
        for (int attempt = 1; attempt <= 20; attempt++) {
            signal("STOP", pid);
            Thread.sleep(1200);
            Map<String, Timestamp> old = lockedBefore(db, System.currentTimeMillis() - 3 * LOCK_KEEP_ALIVE_MS);
            Thread.sleep(2 * LOCK_KEEP_ALIVE_MS);
            Map<String, Timestamp> stillOld = lockedBefore(db, System.currentTimeMillis() - 3 * LOCK_KEEP_ALIVE_MS);
            List<String> held = new ArrayList<>();
            for (Map.Entry<String, Timestamp> lock : old.entrySet()) {
                Path path = Path.of(lock.getKey());
                if (lock.getValue().equals(stillOld.get(lock.getKey())) && Files.exists(path)) {
                    assertThat(path.getParent()).isEqualTo(inbox.toAbsolutePath());
                    String name = path.getFileName().toString();
                    held.add(name.substring(0, name.indexOf('.')));
                }
            }
            if (!held.isEmpty()) {
                System.out.printf("frozen %d time(s) until it held a lock%n", attempt);
                instance.process().destroyForcibly().waitFor();
                return held;
            }
            signal("CONT", pid);
            Thread.sleep(50L * attempt);
        }
        throw new AssertionError("the instance never held a lock when frozen");
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }

    private static Map<String, String> settings(PostgresDatabase database, Path inbox) {
        Map<String, String> settings = new HashMap<>();
        settings.put("daycare.db.url", database.jdbcUrl());
        settings.put("daycare.db.user", database.user());
        settings.put("daycare.db.password", database.password());
        settings.put("daycare.inbox", inbox.toString());
        settings.put("daycare.capacity.per-day", "100000");
        settings.put("daycare.inbox.min-age", "100");
        settings.put("daycare.inbox.check-interval", "50");
        settings.put("daycare.inbox.poll-delay", "100");
        settings.put("daycare.inbox.lock-max-age-ms", String.valueOf(LOCK_MAX_AGE_MS));
        settings.put("daycare.inbox.lock-keep-alive-ms", String.valueOf(LOCK_KEEP_ALIVE_MS));
        // the lock refusals at DEBUG, to see the instances contend
        settings.put("logback.configurationFile", Path.of("src/test/resources/logback-inbox-locks.xml").toAbsolutePath().toString());
        return settings;
    }

    /** Both at once (a JVM takes seconds to start); if one fails to start, the other is stopped. */
    private static List<ApplicationProcess> startBoth(Path first, Path firstLog, Path second, Path secondLog,
            Map<String, String> settings) {
        CompletableFuture<ApplicationProcess> one = CompletableFuture.supplyAsync(() -> start(first, firstLog, settings));
        CompletableFuture<ApplicationProcess> other = CompletableFuture.supplyAsync(() -> start(second, secondLog, settings));
        try {
            CompletableFuture.allOf(one, other).join();
        } catch (RuntimeException failed) {
            Stream.of(one, other).filter(f -> !f.isCompletedExceptionally()).forEach(f -> close(f.join()));
            throw failed;
        }
        return new ArrayList<>(List.of(one.join(), other.join()));
    }

    private static ApplicationProcess start(Path dataDir, Path log, Map<String, String> settings) {
        try {
            return ApplicationProcess.start(dataDir, log, settings);
        } catch (Exception e) {
            throw new IllegalStateException("the instance on " + dataDir + " did not start, see " + log, e);
        }
    }

    private static void close(ApplicationProcess instance) {
        try {
            instance.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Files written beside the inbox, each a different child, to be moved in (atomic) by {@link #moveAll}. */
    private Path stage(String prefix, int files) throws IOException {
        Path staging = Files.createDirectories(work.resolve("staging-" + prefix));
        for (String name : names(prefix, files)) {
            Files.writeString(staging.resolve(name + ".json"), Registrations.successCaseForAnotherChild());
        }
        return staging;
    }

    private static void moveAll(Path staging, Path inbox) throws IOException {
        for (Path staged : list(staging)) {
            Files.move(staged, inbox.resolve(staged.getFileName()));
        }
    }

    private static List<String> names(String prefix, int files) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    /** The names (before the first dot) of the originals in the data directories' archives. */
    private static List<String> archived(Path... dataDirs) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path dataDir : dataDirs) {
            for (Path file : list(dataDir.resolve("archive"))) {
                String name = file.getFileName().toString();
                names.add(name.substring(0, name.indexOf('.')));
            }
        }
        return names;
    }

    private static List<Path> results(Path... dataDirs) throws IOException {
        List<Path> results = new ArrayList<>();
        for (Path dataDir : dataDirs) {
            results.addAll(list(dataDir.resolve("outbox")));
        }
        return results;
    }

    private static int count(Path directory) throws IOException {
        return list(directory).size();
    }

    /** The *.json files of a directory (not the result writer's temporary files). */
    private static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static List<String> lockedFiles(DataSource db) throws Exception {
        List<String> paths = new ArrayList<>();
        try (Connection connection = db.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT messageId FROM CAMEL_MESSAGEPROCESSED");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                paths.add(rows.getString(1));
            }
        }
        return paths;
    }

    /** The locks last taken or refreshed before that time: the file's absolute path, and when. */
    private static Map<String, Timestamp> lockedBefore(DataSource db, long epochMillis) throws Exception {
        Map<String, Timestamp> locks = new HashMap<>();
        try (Connection connection = db.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT messageId, createdAt FROM CAMEL_MESSAGEPROCESSED WHERE createdAt < ?")) {
            statement.setTimestamp(1, new Timestamp(epochMillis));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    locks.put(rows.getString(1), rows.getTimestamp(2));
                }
            }
        }
        return locks;
    }


    private static long occurrences(Path log, String fragment) throws IOException {
        return Files.readAllLines(log).stream().filter(line -> line.contains(fragment)).count();
    }
}
