package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.daycare.registration.store.NotificationOutbox.PendingNotification;
import org.daycare.registration.support.OutboxRow;
import org.daycare.registration.support.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox against real databases with the application's Flyway migration: an in-memory H2 (the embedded
 * default) and an embedded PostgreSQL 17 (the shared production database), the same tests on each.
 */
class NotificationOutboxTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");

    @Nested
    class OnH2 extends Contract {
        @Override
        String jdbcUrl() {
            return "jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        }
    }

    @Nested
    class OnPostgreSQL extends Contract {
        @Override
        String jdbcUrl() {
            return PostgresServer.freshDatabase().jdbcUrl();
        }

        @Override
        String user() {
            return PostgresServer.USER;
        }
    }

    abstract static class Contract {

        private HikariDataSource dataSource;
        private final MutableClock clock = new MutableClock(T0);
        private NotificationOutbox outbox;

        abstract String jdbcUrl() throws Exception;

        String user() {
            return "sa";
        }

        @BeforeEach
        void database() throws Exception {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(jdbcUrl());
            config.setUsername(user());
            config.setMaximumPoolSize(8);
            dataSource = new HikariDataSource(config);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            outbox = new NotificationOutbox(dataSource, clock, Duration.ofSeconds(1), Duration.ofMinutes(5));
        }

        @AfterEach
        void close() {
            dataSource.close();
        }

        @Test
        void claimsDueUnsentRowsOldestFirstWithTheirContent() throws Exception {
            insert("c", T0.minusSeconds(1), T0.minusSeconds(1), null);
            insert("a", T0.minusSeconds(3), T0.minusSeconds(3), null);
            insert("b", T0.minusSeconds(2), T0.minusSeconds(2), null);
            insert("later", T0.minusSeconds(10), T0.plusSeconds(5), null);   // not due yet
            insert("sent", T0.minusSeconds(20), T0.minusSeconds(20), T0.minusSeconds(19));
            insertFailure("failed", T0.minusSeconds(4));

            List<PendingNotification> claimed = outbox.claimDue(10, LEASE);

            assertThat(claimed).extracting(PendingNotification::executionId).containsExactly("failed", "a", "b", "c");
            PendingNotification confirmed = claimed.get(1);
            assertThat(confirmed.notificationId()).isEqualTo("a_SUCCEEDED");
            assertThat(confirmed.executionId()).isEqualTo("a");
            assertThat(confirmed.subject()).isEqualTo("Registration confirmed");
            assertThat(confirmed.attributes()).containsExactly(Map.entry("outcome", "SUCCEEDED"), Map.entry("executionId", "a"));
            assertThat(confirmed.message()).isEqualTo(message("a"));
            assertThat(confirmed.attempts()).isZero();
            PendingNotification rejected = claimed.get(0);
            assertThat(rejected.notificationId()).isEqualTo("failed_FAILED");
            assertThat(rejected.subject()).isEqualTo("Registration rejected: NoSpots");
            assertThat(rejected.attributes()).isEqualTo(Map.of("outcome", "FAILED", "executionId", "failed", "error", "NoSpots"));
            assertThat(outbox.countPending()).isEqualTo(5);
        }

        @Test
        void claimsAtMostMaxAndTheNextClaimTakesTheNextOnes() throws Exception {
            for (int i = 0; i < 5; i++) {
                insert("n" + i, T0.minusSeconds(10 - i), T0.minusSeconds(10 - i), null);
            }

            assertThat(outbox.claimDue(2, LEASE)).extracting(PendingNotification::executionId).containsExactly("n0", "n1");
            assertThat(outbox.claimDue(2, LEASE)).extracting(PendingNotification::executionId).containsExactly("n2", "n3");
            assertThat(outbox.claimDue(2, LEASE)).extracting(PendingNotification::executionId).containsExactly("n4");
            assertThat(outbox.claimDue(2, LEASE)).isEmpty();
        }

        @Test
        void aClaimedRowIsNotClaimedAgainUntilItsLeaseEnds() throws Exception {
            insert("x", T0, T0, null);

            assertThat(outbox.claimDue(10, LEASE)).extracting(PendingNotification::executionId).containsExactly("x");
            assertThat(nextAttemptAt(confirmed("x"))).isEqualTo(T0.plus(LEASE));
            assertThat(outbox.claimDue(10, LEASE)).isEmpty();
            clock.set(T0.plus(LEASE).minusMillis(1));
            assertThat(outbox.claimDue(10, LEASE)).isEmpty();
            assertThat(outbox.countPending()).isEqualTo(1);

            clock.set(T0.plus(LEASE)); // the claimer died without marking it: it is due again
            assertThat(outbox.claimDue(10, LEASE)).extracting(PendingNotification::executionId).containsExactly("x");
            assertThat(outbox.claimDue(10, LEASE)).isEmpty();
        }

        @Test
        void concurrentClaimersNeverGetTheSameRow() throws Exception {
            int rows = 200;
            for (int i = 0; i < rows; i++) {
                insert(String.format("r%03d", i), T0.minusMillis(rows - i), T0.minusMillis(rows - i), null);
            }
            // four "instances", each with its own outbox object, sharing the database
            int claimers = 4;
            ExecutorService pool = Executors.newFixedThreadPool(claimers);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int c = 0; c < claimers; c++) {
                    NotificationOutbox instance = new NotificationOutbox(dataSource, clock, Duration.ofSeconds(1),
                            Duration.ofMinutes(5));
                    futures.add(pool.submit(() -> {
                        start.await();
                        List<String> mine = new ArrayList<>();
                        for (int round = 0; round < 200; round++) {
                            instance.claimDue(10, LEASE).forEach(n -> mine.add(n.executionId()));
                        }
                        return mine;
                    }));
                }
                start.countDown();
                List<String> all = new ArrayList<>();
                for (Future<List<String>> future : futures) {
                    all.addAll(future.get(60, TimeUnit.SECONDS));
                }
                assertThat(all).hasSize(rows).doesNotHaveDuplicates();
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void aSentRowIsNeitherPendingNorClaimedAgain() throws Exception {
            insert("s", T0, T0, null);
            insert("t", T0, T0, null);
            assertThat(outbox.claimDue(10, LEASE)).hasSize(2);

            clock.set(T0.plusSeconds(2));
            assertThat(outbox.markSent(confirmed("s"))).isTrue();

            assertThat(sentAt(confirmed("s"))).isEqualTo(T0.plusSeconds(2));
            assertThat(sentAt(confirmed("t"))).isNull();
            assertThat(outbox.countPending()).isEqualTo(1);
            assertThat(outbox.markSent(confirmed("s"))).as("already sent").isFalse();
            assertThat(sentAt(confirmed("s"))).isEqualTo(T0.plusSeconds(2));
            clock.set(T0.plus(LEASE).plusSeconds(1));
            assertThat(outbox.claimDue(10, LEASE)).extracting(PendingNotification::executionId).containsExactly("t");
            // a late failure report of a row another drainer sent does not bring it back
            assertThat(outbox.retryLater(confirmed("s"), "timeout", 1)).isFalse();
            assertThat(sentAt(confirmed("s"))).isEqualTo(T0.plusSeconds(2));
        }

        @Test
        void eachOutcomeOfAnExecutionIsANotificationOfItsOwn() throws Exception {
            insertApprovalRequested("w", T0.minusSeconds(2));
            insert("w", T0.minusSeconds(1), T0.minusSeconds(1), null);

            List<PendingNotification> claimed = outbox.claimDue(10, LEASE);

            assertThat(claimed).extracting(PendingNotification::notificationId)
                    .containsExactly("w_APPROVAL_REQUESTED", "w_SUCCEEDED");
            assertThat(claimed).extracting(PendingNotification::executionId).containsExactly("w", "w");
            assertThat(claimed.get(0).subject()).isEqualTo("Approval requested");
            assertThat(claimed.get(0).attributes()).isEqualTo(Map.of("outcome", "APPROVAL_REQUESTED", "executionId", "w"));

            // marking one sent and rescheduling the other touch each its own row only
            clock.set(T0.plusSeconds(2));
            assertThat(outbox.markSent(confirmed("w"))).isTrue();
            assertThat(outbox.retryLater("w_APPROVAL_REQUESTED", "boom", 1)).as("the other one is still pending").isTrue();
            assertThat(sentAt(confirmed("w"))).isEqualTo(T0.plusSeconds(2));
            assertThat(sentAt("w_APPROVAL_REQUESTED")).isNull();
            assertThat(attempts("w_APPROVAL_REQUESTED")).isEqualTo(1);
            assertThat(attempts(confirmed("w"))).isZero();
            assertThat(lastError(confirmed("w"))).isNull();
            assertThat(outbox.countPending()).isEqualTo(1);
            clock.set(T0.plusSeconds(3));
            assertThat(outbox.claimDue(10, LEASE)).extracting(PendingNotification::notificationId)
                    .containsExactly("w_APPROVAL_REQUESTED");

            // and each outcome is announced once: a second row for the same outcome is refused
            assertThatThrownBy(() -> insert("w", T0, T0, null)).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505"); // unique violation
            assertThat(outbox.countPending()).isEqualTo(1);
        }

        @Test
        void retriesBackOffExponentiallyFromOneSecondCappedAtFiveMinutes() throws Exception {
            insert("r", T0, T0, null);
            List<Duration> delays = new ArrayList<>();
            Instant now = T0;
            for (int attempts = 1; attempts <= 12; attempts++) {
                clock.set(now);
                PendingNotification claimed = single(outbox.claimDue(10, LEASE));
                assertThat(claimed.attempts()).isEqualTo(attempts - 1);
                assertThat(outbox.retryLater(confirmed("r"), "SnsException: boom " + attempts, claimed.attempts() + 1)).isTrue();

                Instant next = nextAttemptAt(confirmed("r"));
                delays.add(Duration.between(now, next));
                assertThat(attempts(confirmed("r"))).isEqualTo(attempts);
                assertThat(lastError(confirmed("r"))).isEqualTo("SnsException: boom " + attempts);
                clock.set(next.minusMillis(1));
                assertThat(outbox.claimDue(10, LEASE)).as("not due before its backoff").isEmpty();
                now = next;
            }

            assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                    Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32), Duration.ofSeconds(64),
                    Duration.ofSeconds(128), Duration.ofSeconds(256), Duration.ofMinutes(5), Duration.ofMinutes(5),
                    Duration.ofMinutes(5));
            assertThat(outbox.backoff(1_000_000)).isEqualTo(Duration.ofMinutes(5));
            assertThat(outbox.countPending()).isEqualTo(1);
        }

        @Test
        void backoffBaseAndCapAreConfigurable() {
            NotificationOutbox fast = new NotificationOutbox(dataSource, clock, Duration.ofMillis(200), Duration.ofSeconds(1));

            assertThat(List.of(fast.backoff(1), fast.backoff(2), fast.backoff(3), fast.backoff(4), fast.backoff(40)))
                    .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                            Duration.ofSeconds(1), Duration.ofSeconds(1));
        }

        @Test
        void theErrorKeptIsCutTo500Characters() throws Exception {
            insert("e", T0, T0, null);
            single(outbox.claimDue(10, LEASE));

            outbox.retryLater(confirmed("e"), "x".repeat(2000), 1);

            assertThat(lastError(confirmed("e"))).hasSize(500);
        }

        @Test
        void aRowWhoseAttributesCannotBeReadIsRescheduledNotReturned() throws Exception {
            insert("bad", T0.minusSeconds(2), T0.minusSeconds(2), null);
            insert("good", T0.minusSeconds(1), T0.minusSeconds(1), null);
            execute("UPDATE notification_outbox SET attributes = 'not json' WHERE execution_id = 'bad'");

            assertThat(outbox.claimDue(10, LEASE)).extracting(PendingNotification::executionId).containsExactly("good");

            assertThat(attempts(confirmed("bad"))).isEqualTo(1);
            assertThat(nextAttemptAt(confirmed("bad"))).isEqualTo(T0.plusSeconds(1));
            assertThat(lastError(confirmed("bad"))).contains("attributes");
        }

        // ------------------------------------------------------------------ helpers

        private static PendingNotification single(List<PendingNotification> claimed) {
            assertThat(claimed).hasSize(1);
            return claimed.get(0);
        }

        private static String message(String executionId) {
            return "{\"executionId\":\"" + executionId + "\",\"status\":\"SUCCEEDED\",\"output\":{\"fees\":650}}";
        }

        private void insert(String executionId, Instant createdAt, Instant nextAttemptAt, Instant sentAt) throws SQLException {
            OutboxRow.pending(executionId, "SUCCEEDED", null, "Registration confirmed",
                    "{\"outcome\":\"SUCCEEDED\",\"executionId\":\"" + executionId + "\"}", message(executionId),
                    createdAt, nextAttemptAt).sentAt(sentAt).insertInto(dataSource);
        }

        private void insertApprovalRequested(String executionId, Instant createdAt) throws SQLException {
            OutboxRow.pending(executionId, "SUCCEEDED", null, "Approval requested",
                    "{\"outcome\":\"APPROVAL_REQUESTED\",\"executionId\":\"" + executionId + "\"}", message(executionId),
                    createdAt, createdAt).announcing("APPROVAL_REQUESTED").insertInto(dataSource);
        }

        private void insertFailure(String executionId, Instant createdAt) throws SQLException {
            OutboxRow.pending(executionId, "FAILED", "NoSpots", "Registration rejected: NoSpots",
                    "{\"outcome\":\"FAILED\",\"executionId\":\"" + executionId + "\",\"error\":\"NoSpots\"}",
                    "{\"executionId\":\"" + executionId + "\",\"status\":\"FAILED\",\"error\":\"NoSpots\"}",
                    createdAt, createdAt).insertInto(dataSource);
        }

        private void execute(String sql) throws SQLException {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                s.executeUpdate();
            }
        }

        private Instant nextAttemptAt(String notificationId) throws SQLException {
            OffsetDateTime value = column(notificationId, "next_attempt_at", OffsetDateTime.class);
            return value.toInstant();
        }

        private Instant sentAt(String notificationId) throws SQLException {
            OffsetDateTime value = column(notificationId, "sent_at", OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }

        private int attempts(String notificationId) throws SQLException {
            return column(notificationId, "attempts", Integer.class);
        }

        private String lastError(String notificationId) throws SQLException {
            return column(notificationId, "last_error", String.class);
        }

        /** The id of the notification announcing the execution's success (what {@link #insert} writes). */
        private static String confirmed(String executionId) {
            return NotificationOutbox.notificationId(executionId, "SUCCEEDED");
        }

        private <T> T column(String notificationId, String column, Class<T> type) throws SQLException {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM notification_outbox WHERE notification_id = ?")) {
                s.setString(1, notificationId);
                try (ResultSet rows = s.executeQuery()) {
                    assertThat(rows.next()).as("outbox row " + notificationId).isTrue();
                    return rows.getObject(1, type);
                }
            }
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
