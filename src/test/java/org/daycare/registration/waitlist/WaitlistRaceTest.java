package org.daycare.registration.waitlist;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.AdviceWith;
import org.daycare.registration.support.ApprovalClient;
import org.daycare.registration.support.CapturedLog;
import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.PostgresServer.PostgresDatabase;
import org.daycare.registration.support.Race;
import org.daycare.registration.support.RunningApplication;
import org.daycare.registration.support.SqlCount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.daycare.registration.support.ApprovalClient.json;

/**
 * The waitlist's Correctness (issue 11) under races. Each round releases together, at a barrier, cancellations of
 * confirmed registrations (by the office and through status links), new registrations (Monday, Tuesday, or both) and a
 * raise of a day's total by one, with every day at 3 spots to begin with: on the embedded H2 with one instance (20
 * rounds), and on one PostgreSQL with two instances taking the round's requests in turn (10 rounds); more rounds (at
 * most 10) follow while a contended path named below has not run yet. Checked:
 * <ul>
 * <li>No overbooking: while the rounds race, a reader of the database never sees a day over its total, nor its
 * reserved spots differ from the registrations (confirmed or held) that hold it; after each round, once the promoted
 * registrations ran on, the same, and none is still held.</li>
 * <li>Order: after each round, no waitlisted registration fits the free spots; among those asking for the same days,
 * the promoted ones are the oldest; and no registration of the round got a spot (confirmed at once or promoted) while
 * one that waited all round long, asking for some of its days, was left waiting. At the end, GET /waitlist lists
 * those still waiting in arrival order.</li>
 * <li>Once: no execution leaves Waitlisted twice, none succeeds twice, each success is notified once; on two
 * instances, both sweeps took promoted registrations up and the losers lost at the conditional update.</li>
 * </ul>
 *
 * <p>Arrival order is what the waitlist's own rows say when they are inserted: a trigger the test adds copies each new
 * waitlist row into a log with an identity column, in the joining transaction (every join holds every day's lock,
 * so the log's order is the order they joined in). The rows themselves go when promoted, and their {@code arrival}
 * numbers only order the rows present together.
 *
 * <p>Windows are widened so that the rounds run the contended paths on any machine, and the test shows that they did:
 * Confirm Registration waits 100 ms (a new registration's availability check goes stale: its spot may be taken
 * meanwhile, by another or by a promotion), Waitlisted waits 100 ms before joining (a spot may free between the check
 * that found a day full and the join), each contender starts 0, 50 or 100 ms after the barrier (those starting
 * together meet in the same transactions: concurrent joins; the cancellations and the raise always start together),
 * and on two instances
 * the Waitlist Decision waits 300 ms, longer than a sweep period, so that both instances' sweeps take up the same
 * promoted registration.
 */
class WaitlistRaceTest {

    private static final int PER_DAY = 3;
    private static final String STATUS_TOKEN_SECRET = "two-instances-share-this-status-token-secret";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> MONDAY = List.of("Monday");
    private static final List<String> TUESDAY = List.of("Tuesday");
    private static final List<String> MONDAY_AND_TUESDAY = List.of("Monday", "Tuesday");
    private static final String PROMOTED = "EXITED Waitlisted 200 a spot opened";
    private static final String LOST_AT_CONFIRM = "EXITED Confirm Registration 400";
    private static final String SUCCEEDED_NOTIFICATIONS = "SELECT COUNT(*) FROM notification_outbox WHERE execution_id = ?"
            + " AND attributes LIKE '%\"outcome\":\"SUCCEEDED\"%'";
    /** The log of the waitlist's arrivals, in the order they joined (filled by a trigger on the waitlist). */
    private static final String ARRIVALS = "CREATE TABLE waitlist_arrivals (seq BIGINT GENERATED BY DEFAULT AS IDENTITY"
            + " PRIMARY KEY, execution_id VARCHAR(36) NOT NULL, days_of_week VARCHAR(100) NOT NULL)";
    /** Each opening day: its total, its reserved spots, and the registrations (held or confirmed) that hold it. */
    private static final String DAYS = "SELECT d.day_of_week, d.total_spots, d.reserved_spots, (SELECT COUNT(*)"
            + " FROM confirmed_registrations c WHERE ',' || c.days_of_week || ',' LIKE '%,' || d.day_of_week || ',%')"
            + " FROM day_capacity d ORDER BY d.day_of_week";

    @TempDir
    Path firstDataDir;
    @TempDir
    Path secondDataDir;

    @Test
    void onH2RacingCancellationsRegistrationsAndRaisesNeverOverbookAndPromoteTheOldestFirst() throws Exception {
        try (CapturedLog log = CapturedLog.start();
             RunningApplication app = RunningApplication.start(firstDataDir, settings(Map.of()))) {
            DataSource db = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            execute(db, ARRIVALS);
            execute(db, "CREATE TRIGGER waitlist_arrival AFTER INSERT ON waitlist FOR EACH ROW CALL '"
                    + ArrivalLog.class.getName() + "'");
            widenTheWindows(app);

            Rounds rounds = new Rounds(List.of(ApprovalClient.of(app)), db);
            rounds.run(20);
            rounds.verifyTheEnd();
            rounds.assertTheContendedPathsRan();
            assertNothingWentWrongIn(log);
        }
    }

    @Test
    void onPostgresqlTwoInstancesKeepEveryInvariantAndPromoteEachRegistrationOnce() throws Exception {
        PostgresDatabase database = PostgresServer.freshDatabase();
        Map<String, String> onPostgresql = Map.of("daycare.db.url", database.jdbcUrl(), "daycare.db.user", database.user(),
                "daycare.db.password", database.password(), "daycare.status-token.secret", STATUS_TOKEN_SECRET);
        try (CapturedLog log = CapturedLog.start();
             RunningApplication first = RunningApplication.start(firstDataDir, settings(onPostgresql));
             RunningApplication second = RunningApplication.start(secondDataDir, settings(onPostgresql))) {
            DataSource db = database.dataSource();
            execute(db, ARRIVALS);
            execute(db, "CREATE FUNCTION log_waitlist_arrival() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " INSERT INTO waitlist_arrivals (execution_id, days_of_week) VALUES (NEW.execution_id,"
                    + " NEW.days_of_week); RETURN NULL; END $$");
            execute(db, "CREATE TRIGGER waitlist_arrival AFTER INSERT ON waitlist FOR EACH ROW"
                    + " EXECUTE FUNCTION log_waitlist_arrival()");
            for (RunningApplication instance : List.of(first, second)) {
                widenTheWindows(instance);
                // longer than a sweep period (100 ms): the other instance's sweep finds the promoted one still due
                AdviceWith.adviceWith(instance.context(), "waitlist-decision",
                        route -> route.weaveAddFirst().delay(300).syncDelayed());
            }
            List<ApprovalClient> instances = List.of(ApprovalClient.of(first), ApprovalClient.of(second));

            Rounds rounds = new Rounds(instances, db);
            rounds.run(10);
            rounds.verifyTheEnd();
            rounds.assertTheContendedPathsRan();
            assertNothingWentWrongIn(log);

            // Once: promotions were taken up by both sweeps, and the conditional update let one run each on
            // (a sweep takes its due registrations up one at a time: one instance takes each up at most once)
            long resumedByFirst = instances.get(0).exchangesOf("waitlist-decision");
            long resumedBySecond = instances.get(1).exchangesOf("waitlist-decision");
            long lost = log.count("lost the race to another decision");
            System.out.printf("%d promotions: taken up %d + %d times by the two instances' sweeps, %d lost the race%n",
                    rounds.promotions(), resumedByFirst, resumedBySecond, lost);
            assertThat(resumedByFirst + resumedBySecond).as("promotions both sweeps took up")
                    .isGreaterThan(rounds.promotions());
            assertThat(lost).as("a sweep ran a promoted registration on and lost at the conditional update").isPositive();
        }
    }

    private static Map<String, String> settings(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("daycare.waitlist.enabled", "true",
                "daycare.capacity.per-day", String.valueOf(PER_DAY), "daycare.approval.deadline-check-ms", "100"));
        settings.putAll(more);
        return settings;
    }

    private static void widenTheWindows(RunningApplication instance) throws Exception {
        // synchronous, as the routes are: an asynchronous delay would let the deadline sweep, whose timer does not wait
        // for an exchange that went asynchronous, take the same promoted registration up again every period
        AdviceWith.adviceWith(instance.context(), "confirm-registration",
                route -> route.weaveAddFirst().delay(100).syncDelayed());
        AdviceWith.adviceWith(instance.context(), "waitlisted", route -> route.weaveAddFirst().delay(100).syncDelayed());
    }

    /** No defect, and no deadline sweep that failed to take an execution up (it would try again, hiding it). */
    private static void assertNothingWentWrongIn(CapturedLog log) {
        assertThat(log.events()).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                || event.getFormattedMessage().contains("could not be applied"))
                .extracting(event -> event.getLevel() + " " + event.getFormattedMessage()).isEmpty();
    }

    /** A new registration answered: its id, status token, days, round, answer and whether it got a place. */
    private record Submitted(String executionId, String token, List<String> days, int round, int status,
            boolean hadPosition) {

        @Override
        public String toString() {
            return executionId + " " + days + " of round " + round + " answered " + status;
        }
    }

    /** The rounds on one or two instances, and what they saw. */
    private static final class Rounds {

        private final List<ApprovalClient> instances;
        private final DataSource db;
        // a fixed mix, so that every run plays the same rounds; the interleavings are the machine's
        private final Random random = new Random(11);
        private final Map<String, Submitted> submitted = new ConcurrentHashMap<>();
        private final Set<String> promotedByRaises = ConcurrentHashMap.newKeySet();
        private final AtomicInteger nextInstance = new AtomicInteger();
        private final List<String> seenWhileRacing = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger samples = new AtomicInteger();
        private int lostAtConfirm;
        private int promotedAtJoin;
        private int promotions;
        private int rounds;

        Rounds(List<ApprovalClient> instances, DataSource db) {
            this.instances = instances;
            this.db = db;
        }

        int promotions() {
            return promotions;
        }

        private ApprovalClient nextInstance() {
            return instances.get(nextInstance.getAndIncrement() % instances.size());
        }

        /**
         * Monday and Tuesday full to begin with; then the rounds, watched by a reader of the database: {@code count} of
         * them, and more (at most 10) until the contended paths ran.
         */
        void run(int count) throws Exception {
            for (List<String> days : List.of(MONDAY, MONDAY, MONDAY_AND_TUESDAY, TUESDAY, TUESDAY)) {
                register(nextInstance(), days, 0).call();
            }
            assertThat(submitted.values()).extracting(Submitted::status).containsOnly(201);
            AtomicBoolean racing = new AtomicBoolean(true);
            Thread reader = new Thread(() -> watch(racing), "capacity-reader");
            reader.start();
            try {
                // the rounds asked for, then more (at most 10) until the contended paths ran
                int round = 0;
                while (round < count || (round < count + 10 && (lostAtConfirm == 0 || promotedAtJoin == 0))) {
                    round(++round);
                }
                rounds = round;
            } finally {
                racing.set(false);
                reader.join();
            }
            System.out.printf("%d rounds: the capacity read %d times while racing%n", rounds, samples.get());
            assertThat(samples.get()).as("the capacity was read while the rounds raced").isGreaterThan(rounds);
            assertThat(seenWhileRacing).as("what a read of the capacity saw while the rounds raced").isEmpty();
        }

        /**
         * Two cancellations of confirmed registrations (one by the office, one through its status link; one Monday-only
         * and one Tuesday-only where there are: they free days apart, each under its own day's lock), four new
         * registrations (Monday, Tuesday, or both) and a raise by one of Monday (odd rounds) or Tuesday (even rounds),
         * each on the next instance, released together.
         */
        private void round(int round) throws Exception {
            List<Submitted> confirmed = new ArrayList<>(strings("SELECT execution_id FROM executions"
                    + " WHERE status = 'SUCCEEDED' ORDER BY execution_id").stream().map(submitted::get).toList());
            Collections.shuffle(confirmed, random);
            List<Submitted> cancelled = new ArrayList<>();
            confirmed.stream().filter(each -> each.days().equals(MONDAY)).findFirst().ifPresent(cancelled::add);
            confirmed.stream().filter(each -> each.days().equals(TUESDAY)).findFirst().ifPresent(cancelled::add);
            confirmed.stream().filter(each -> !cancelled.contains(each)).limit(2 - cancelled.size()).forEach(cancelled::add);
            // each starts 0, 50 or 100 ms after the barrier; those that free spots start together, so that they meet in
            // their transactions (cancellations freeing days apart, a raise), while the new registrations come before,
            // with or after them
            long freeingAt = 50L * random.nextInt(3);
            List<Callable<Void>> contenders = new ArrayList<>();
            for (int i = 0; i < cancelled.size(); i++) {
                contenders.add(after(freeingAt, cancel(nextInstance(), cancelled.get(i), i % 2 == 1)));
            }
            contenders.add(after(freeingAt, raise(nextInstance(), round % 2 == 1 ? "Monday" : "Tuesday")));
            for (int i = 0; i < 4; i++) {
                contenders.add(after(50L * random.nextInt(3), register(nextInstance(),
                        List.of(MONDAY, TUESDAY, MONDAY_AND_TUESDAY, MONDAY_AND_TUESDAY).get(random.nextInt(4)), round)));
            }
            Map<String, String> waitingBefore = waitlist();
            Race.each(contenders);

            awaitPromotedRanOn();
            checkQuiet("after round " + round);
            // A spot that a registration of this round got (confirmed at once, or promoted) fitted every registration
            // asking for some of its days; one of those that waited all round long is older, and should have had it.
            Map<String, String> waitingAfter = waitlist();
            List<String> passedOver = new ArrayList<>();
            for (Submitted each : submitted.values()) {
                if (each.round() != round || waitingAfter.containsKey(each.executionId())) {
                    continue;
                }
                Set<String> itsDays = new HashSet<>(each.days().stream().map(day -> day.toUpperCase(Locale.ROOT)).toList());
                waitingBefore.forEach((older, days) -> {
                    if (waitingAfter.containsKey(older) && itsDays.containsAll(List.of(days.split(",")))) {
                        passedOver.add(older + " (" + days + ") waited while the later " + each + " got a spot");
                    }
                });
            }
            assertThat(passedOver).as("round " + round).isEmpty();

            for (Submitted each : submitted.values()) {
                if (each.round() == round && each.status() == 202) {
                    if (!each.hadPosition()) {
                        promotedAtJoin++;
                    }
                    if (instances.get(0).history(each.executionId()).contains(LOST_AT_CONFIRM)) {
                        lostAtConfirm++;
                    }
                }
            }
        }

        /** The waitlisted executions and the days they ask for. */
        private Map<String, String> waitlist() throws SQLException {
            Map<String, String> waiting = new HashMap<>();
            rows("SELECT execution_id, days_of_week FROM waitlist").forEach(row -> waiting.put(row.get(0), row.get(1)));
            return waiting;
        }

        private static Callable<Void> after(long millis, Callable<Void> contender) {
            return () -> {
                Thread.sleep(millis);
                return contender.call();
            };
        }

        private Callable<Void> register(ApprovalClient client, List<String> days, int round) {
            return () -> {
                HttpResponse<String> answer = client.register(WaitlistTest.forDays(days.toArray(String[]::new)));
                JsonNode body = json(answer);
                if (answer.statusCode() == 201) {
                    assertThat(body.get("status").asText()).as(answer.body()).isEqualTo("SUCCEEDED");
                } else if (answer.statusCode() == 202) {
                    assertThat(body.get("state").asText()).as(answer.body()).isEqualTo("Waitlisted");
                } else {
                    throw new AssertionError("a new registration was answered " + answer.statusCode() + ": " + answer.body());
                }
                String executionId = body.get("executionId").asText();
                submitted.put(executionId, new Submitted(executionId, body.get("statusToken").asText(), days, round,
                        answer.statusCode(), body.has("position")));
                return null;
            };
        }

        private Callable<Void> cancel(ApprovalClient client, Submitted confirmed, boolean throughStatusLink) {
            return () -> {
                HttpResponse<String> answer = throughStatusLink ? client.cancel(confirmed.executionId(), confirmed.token())
                        : client.decide(confirmed.executionId(), "cancel", null);
                assertThat(answer.statusCode()).as("cancelling " + confirmed + ": " + answer.body()).isEqualTo(200);
                assertThat(json(answer).get("status").asText()).isEqualTo("CANCELLED");
                return null;
            };
        }

        private Callable<Void> raise(ApprovalClient client, String day) throws Exception {
            int total = SqlCount.of(db, "SELECT total_spots FROM day_capacity WHERE day_of_week = ?",
                    day.toUpperCase(Locale.ROOT));
            return () -> {
                HttpResponse<String> answer = client.changeCapacity(day, "{\"total\": " + (total + 1) + "}");
                assertThat(answer.statusCode()).as("raising " + day + ": " + answer.body()).isEqualTo(200);
                json(answer).get("promoted").forEach(id -> promotedByRaises.add(id.asText()));
                return null;
            };
        }

        /** The promoted registrations, due at once, ran on through the deadline sweep. */
        private void awaitPromotedRanOn() {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> SqlCount.of(db,
                    "SELECT COUNT(*) FROM executions WHERE status = 'RUNNING' AND state <> 'Waitlisted'") == 0);
        }

        /** While the rounds race: no day over its total, and its reserved spots are the registrations holding it. */
        private void watch(AtomicBoolean racing) {
            try (Connection connection = db.getConnection()) {
                while (racing.get()) {
                    // one statement: one consistent view of the committed transactions
                    for (DayRow day : days(connection)) {
                        if (day.reserved() > day.total() || day.reserved() != day.holding()) {
                            seenWhileRacing.add(day.toString());
                        }
                    }
                    samples.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                seenWhileRacing.add("the reader failed: " + e);
            }
        }

        /**
         * Once nothing runs: each day's reserved spots are its registrations, none over its total, none still held, every
         * waitlisted registration asks for a day without a free spot (a freed spot went to the waitlist at once), and
         * none was promoted before an older one asking for the same days.
         */
        private void checkQuiet(String when) throws Exception {
            List<String> problems = new ArrayList<>();
            Map<String, Integer> free = new HashMap<>();
            try (Connection connection = db.getConnection()) {
                for (DayRow day : days(connection)) {
                    free.put(day.day(), day.total() - day.reserved());
                    if (day.reserved() > day.total() || day.reserved() != day.holding()) {
                        problems.add(day.toString());
                    }
                }
            }
            int held = SqlCount.of(db, "SELECT COUNT(*) FROM confirmed_registrations WHERE held");
            if (held != 0) {
                problems.add(held + " registrations still held");
            }
            for (List<String> waiting : rows("SELECT execution_id, days_of_week FROM waitlist ORDER BY arrival")) {
                if (Arrays.stream(waiting.get(1).split(",")).allMatch(day -> free.get(day) > 0)) {
                    problems.add(waiting.get(0) + " waits for " + waiting.get(1) + " with spots free: " + free);
                }
            }
            // among those asking for the same days, the ones that left the waitlist (promoted: none is cancelled or
            // expires here) are the oldest, now already: a later promotion of the older ones would hide it at the end
            Set<String> onTheWaitlist = new HashSet<>(strings("SELECT execution_id FROM waitlist"));
            Map<String, String> olderWaiting = new HashMap<>();
            for (List<String> arrival : rows("SELECT execution_id, days_of_week FROM waitlist_arrivals ORDER BY seq")) {
                String older = olderWaiting.get(arrival.get(1));
                if (onTheWaitlist.contains(arrival.get(0))) {
                    olderWaiting.putIfAbsent(arrival.get(1), arrival.get(0));
                } else if (older != null) {
                    problems.add(arrival.get(0) + " (" + arrival.get(1) + ") was promoted while the older " + older + " waits");
                }
            }
            int onTheList = SqlCount.of(db, "SELECT COUNT(*) FROM waitlist");
            int waiting = SqlCount.of(db, "SELECT COUNT(*) FROM executions WHERE status = 'RUNNING' AND state = 'Waitlisted'");
            if (onTheList != waiting) {
                problems.add(onTheList + " on the waitlist, " + waiting + " executions waitlisted");
            }
            assertThat(problems).as(when).isEmpty();
        }

        /**
         * Every execution ran to its end exactly once: promoted at most once, succeeded at most once with one SUCCEEDED
         * notification, none failed; the waitlisted ones wait in arrival order; and among those asking for the same
         * days the promoted ones are the oldest.
         */
        void verifyTheEnd() throws Exception {
            awaitPromotedRanOn();
            checkQuiet("at the end");
            Map<String, String> statusOf = new HashMap<>();
            rows("SELECT execution_id, status FROM executions").forEach(row -> statusOf.put(row.get(0), row.get(1)));
            assertThat(statusOf.keySet()).as("every execution is one of the test's").isEqualTo(submitted.keySet());
            assertThat(new HashSet<>(statusOf.values())).as("how executions stand").isSubsetOf("SUCCEEDED", "CANCELLED", "RUNNING");

            Set<String> promoted = new HashSet<>();
            List<String> problems = new ArrayList<>();
            for (Submitted each : submitted.values()) {
                String executionId = each.executionId();
                List<String> history = instances.get(Math.abs(executionId.hashCode()) % instances.size()).history(executionId);
                int promotedTimes = Collections.frequency(history, PROMOTED);
                int succeededTimes = Collections.frequency(history, "ENTERED Succeeded");
                int succeededNotifications = SqlCount.of(db, SUCCEEDED_NOTIFICATIONS, executionId);
                if (promotedTimes > 1 || succeededTimes > 1 || succeededNotifications != succeededTimes) {
                    problems.add(executionId + " promoted " + promotedTimes + " times, succeeded " + succeededTimes
                            + " times, " + succeededNotifications + " SUCCEEDED notifications: " + history);
                }
                if (promotedTimes > 0) {
                    promoted.add(executionId);
                }
            }
            promotions = promoted.size();
            assertThat(problems).as("executions run on more than once").isEmpty();
            assertThat(promotedByRaises).as("registrations promoted by a raise").isNotEmpty();
            assertThat(promoted).as("every registration a raise promoted").containsAll(promotedByRaises);

            List<List<String>> arrivals = rows("SELECT execution_id, days_of_week FROM waitlist_arrivals ORDER BY seq");
            assertThat(arrivals).extracting(row -> row.get(0)).as("the waitlist's arrivals, each once").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(submitted.values().stream()
                            .filter(each -> each.status() == 202).map(Submitted::executionId).toList());
            Map<String, List<String>> stillWaitingByDays = new LinkedHashMap<>();
            List<String> stillWaiting = new ArrayList<>();
            for (List<String> arrival : arrivals) {
                String executionId = arrival.get(0);
                List<String> olderWaiting = stillWaitingByDays.computeIfAbsent(arrival.get(1), days -> new ArrayList<>());
                if (promoted.contains(executionId)) {
                    assertThat(olderWaiting).as(executionId + " (" + arrival.get(1) + ") was promoted while older ones"
                            + " asking for the same days still wait").isEmpty();
                    assertThat(statusOf.get(executionId)).as(executionId).isIn("SUCCEEDED", "CANCELLED");
                } else {
                    assertThat(statusOf.get(executionId)).as(executionId + " never promoted").isEqualTo("RUNNING");
                    olderWaiting.add(executionId);
                    stillWaiting.add(executionId);
                }
            }
            assertThat(instances.get(0).waitlisted()).as("GET /waitlist, in arrival order").isEqualTo(stillWaiting);
            System.out.printf("%d registrations, %d promoted (%d by raises), %d still waiting; contended paths: %d lost"
                    + " their spot in Confirm Registration, %d promoted as they joined%n",
                    submitted.size(), promotions, promotedByRaises.size(), stillWaiting.size(), lostAtConfirm,
                    promotedAtJoin);
            assertThat(promotions).as("registrations promoted").isPositive();
            assertThat(stillWaiting).as("registrations still waiting").isNotEmpty();
        }

        /**
         * The races ran their contended paths: new registrations whose availability check went stale before their
         * durable point, because a spot was taken meanwhile (by another registration or a promotion: the conditional
         * update refused it in Confirm Registration), or because one freed meanwhile (a cancellation or a raise committed
         * between the check that found a day full and the join, which then promoted it at once).
         */
        void assertTheContendedPathsRan() {
            assertThat(lostAtConfirm).as("registrations that passed the check and lost the spot in Confirm Registration")
                    .isPositive();
            assertThat(promotedAtJoin).as("registrations that found a day full, then a spot free as they joined")
                    .isPositive();
        }

        private List<String> strings(String sql) throws SQLException {
            return rows(sql).stream().map(row -> row.get(0)).toList();
        }

        private List<List<String>> rows(String sql) throws SQLException {
            try (Connection connection = db.getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql);
                 ResultSet rows = statement.executeQuery()) {
                List<List<String>> all = new ArrayList<>();
                while (rows.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        row.add(rows.getString(i));
                    }
                    all.add(row);
                }
                return all;
            }
        }
    }

    private record DayRow(String day, int total, int reserved, int holding) {
    }

    private static List<DayRow> days(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DAYS);
             ResultSet rows = statement.executeQuery()) {
            List<DayRow> days = new ArrayList<>();
            while (rows.next()) {
                days.add(new DayRow(rows.getString(1), rows.getInt(2), rows.getInt(3), rows.getInt(4)));
            }
            return days;
        }
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** H2's trigger behind waitlist_arrivals: each new waitlist row, logged in the transaction that inserts it. */
    public static final class ArrivalLog implements org.h2.api.Trigger {

        @Override
        public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
            // the waitlist's columns: execution_id, arrival, child_key, days_of_week, ...
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO waitlist_arrivals (execution_id, days_of_week) VALUES (?, ?)")) {
                insert.setObject(1, newRow[0]);
                insert.setObject(2, newRow[3]);
                insert.executeUpdate();
            }
        }
    }
}
