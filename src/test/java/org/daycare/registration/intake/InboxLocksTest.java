package org.daycare.registration.intake;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.daycare.registration.store.Database;
import org.daycare.registration.support.CapturedLog;
import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.PostgresServer.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The file drop's locks on the databases the application runs on (the table from Flyway, Camel's statements), each
 * repository standing for one instance: a lock is taken by one, released only by it, kept while it refreshes it,
 * and taken over by exactly one other once its holder stops refreshing it for the max age.
 */
class InboxLocksTest {

    private static final long MAX_AGE_MS = 600;
    private static final long KEEP_ALIVE_MS = 100;
    /** A key as the file consumer makes it: the absolute path, here long and not ASCII. */
    private static final String KEY = "/srv/shared/daycare/inbox/" + "Zoë-Çelik-".repeat(20) + ".json";

    enum Target { H2, POSTGRESQL }

    @TempDir
    Path tempDir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aLockIsTakenByOneInstanceReleasedOnlyByItAndTakenAgainAfterItsRelease(Target target) throws Exception {
        HikariDataSource database = database(target);
        InboxLocks first = started(database);
        InboxLocks second = started(database);

        assertThat(first.add(KEY)).isTrue();
        assertThat(first.add(KEY)).as("not twice").isFalse();
        assertThat(second.add(KEY)).as("not by another").isFalse();
        assertThat(second.remove(KEY)).as("not released by another").isFalse();
        assertThat(second.add(KEY)).as("still held").isFalse();

        assertThat(first.remove(KEY)).isTrue();
        assertThat(second.add(KEY)).as("taken again once released").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aLockIsKeptWhileItsHolderRefreshesItAndTakenOverOnceItStops(Target target) throws Exception {
        HikariDataSource database = database(target);
        InboxLocks holder = started(database);
        InboxLocks other = started(database);
        assertThat(holder.add(KEY)).isTrue();

        Thread.sleep(3 * MAX_AGE_MS);
        assertThat(other.add(KEY)).as("refreshed, so held past the max age").isFalse();

        holder.stop(); // as if its instance died: the lock is neither refreshed nor released
        long stopped = System.nanoTime();
        assertThat(other.add(KEY)).as("not before the max age").isFalse();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> other.add(KEY));
        assertThat(Duration.ofNanos(System.nanoTime() - stopped).toMillis()).isGreaterThanOrEqualTo(MAX_AGE_MS - KEEP_ALIVE_MS);
        assertThat(other.add(KEY)).as("and now held by the other").isFalse();
    }

    /**
     * Two instances released together by a barrier take over the same expired locks, in the same order: each lock
     * goes to exactly one. Rounds repeat until one shows both instances at the same lock at the same moment.
     */
    @Test
    void ofTwoInstancesTakingOverTheSameExpiredLocksAtOnceExactlyOneGetsEach() throws Exception {
        HikariDataSource database = database(Target.POSTGRESQL);
        InboxLocks dead = new InboxLocks(database, MAX_AGE_MS, KEEP_ALIVE_MS); // never started: never refreshes
        InboxLocks first = started(database);
        InboxLocks second = started(database);
        Logger logger = (Logger) LoggerFactory.getLogger(InboxLocks.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (CapturedLog log = CapturedLog.of(InboxLocks.class)) {
            int locks = 50;
            for (int round = 1; log.count("at the same moment") == 0; round++) {
                assertThat(round).as("rounds until two takeovers met").isLessThanOrEqualTo(20);
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < locks; i++) {
                    keys.add("/inbox/round-" + round + "-file-" + i + ".json");
                    assertThat(dead.add(keys.get(i))).isTrue();
                }
                Thread.sleep(MAX_AGE_MS + 50);
                long takenOverBefore = log.count("taken over");

                CyclicBarrier together = new CyclicBarrier(2);
                Future<List<String>> byFirst = threads.submit(() -> takeAll(first, keys, together));
                Future<List<String>> bySecond = threads.submit(() -> takeAll(second, keys, together));
                List<String> taken = new ArrayList<>(byFirst.get(30, TimeUnit.SECONDS));
                taken.addAll(bySecond.get(30, TimeUnit.SECONDS));

                assertThat(taken).as("round %d: each expired lock taken over exactly once", round)
                        .containsExactlyInAnyOrderElementsOf(keys);
                assertThat(log.count("taken over") - takenOverBefore).isEqualTo(locks);
            }
        } finally {
            threads.shutdownNow();
            logger.setLevel(level);
        }
    }

    private static List<String> takeAll(InboxLocks locks, List<String> keys, CyclicBarrier together) throws Exception {
        together.await();
        List<String> taken = new ArrayList<>();
        for (String key : keys) {
            if (locks.add(key)) {
                taken.add(key);
            }
        }
        return taken;
    }

    private InboxLocks started(HikariDataSource database) {
        CamelContext context = new DefaultCamelContext();
        context.start();
        resources.add(context);
        InboxLocks locks = new InboxLocks(database, MAX_AGE_MS, KEEP_ALIVE_MS);
        locks.setCamelContext(context);
        locks.start();
        resources.add(locks::stop);
        return locks;
    }

    /** The schema as the application migrates it, on an empty database. */
    private HikariDataSource database(Target target) {
        HikariDataSource database;
        if (target == Target.H2) {
            database = Database.open("jdbc:h2:file:" + tempDir.resolve("db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE",
                    "sa", "", 4, 3000);
        } else {
            PostgresDatabase postgres = PostgresServer.freshDatabase();
            database = Database.open(postgres.jdbcUrl(), postgres.user(), postgres.password(), 4, 3000);
        }
        resources.add(database);
        return database;
    }
}
