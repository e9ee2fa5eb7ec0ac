package org.daycare.registration.approval;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.SoftAssertions;
import org.daycare.registration.support.SqlCount;
import org.daycare.registration.support.ApprovalClient;
import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.PostgresServer.PostgresDatabase;
import org.daycare.registration.support.Race;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances (two Camel contexts in this JVM, each with its own data directory, pool and HTTP server) on one
 * embedded PostgreSQL, with daycare.approval.required=always and the same status-token secret: each deadline fires
 * once, though both sweep every 100 ms, and each decision applies once, though both instances take it at once. Each
 * runs rounds of 10 registrations until a round shows two instances racing for the same end (at most 5; one is usual).
 */
class ApprovalOnTwoInstancesTest {

    private static final int WAITING = 10;
    private static final String STATUS_TOKEN_SECRET = "two-instances-share-this-status-token-secret";
    private static final String FAILED_NOTIFICATIONS = "SELECT COUNT(*) FROM notification_outbox WHERE execution_id = ?"
            + " AND attributes LIKE '%\"outcome\":\"FAILED\"%'";
    private static final String SUCCEEDED_NOTIFICATIONS = "SELECT COUNT(*) FROM notification_outbox WHERE execution_id = ?"
            + " AND attributes LIKE '%\"outcome\":\"SUCCEEDED\"%'";

    @TempDir
    Path firstDataDir;
    @TempDir
    Path secondDataDir;

    private static Map<String, String> on(PostgresDatabase database, String approvalTimeout) {
        return Map.of("daycare.db.url", database.jdbcUrl(), "daycare.db.user", database.user(),
                "daycare.db.password", database.password(), "daycare.capacity.per-day", "50",
                "daycare.approval.required", "always", "daycare.approval.timeout", approvalTimeout,
                "daycare.approval.deadline-check-ms", "100", "daycare.status-token.secret", STATUS_TOKEN_SECRET);
    }

    @Test
    void eachDeadlineFiresOnceThoughBothInstancesSweepForIt() throws Exception {
        PostgresDatabase database = PostgresServer.freshDatabase();
        try (RunningApplication first = RunningApplication.start(firstDataDir, on(database, "PT2S"));
             RunningApplication second = RunningApplication.start(secondDataDir, on(database, "PT2S"))) {
            // The timeout's end waits 300 ms before its transaction on both instances, longer than a sweep period, so
            // that the other instance's sweep finds the execution still waiting and takes it up too: without it a fast
            // machine ends each one before the other sweep looks, and the race below is never run.
            for (RunningApplication instance : List.of(first, second)) {
                org.apache.camel.builder.AdviceWith.adviceWith(instance.context(), "notify-approval-timed-out",
                        route -> route.weaveAddFirst().delay(300));
            }
            List<ApprovalClient> instances = List.of(ApprovalClient.of(first), ApprovalClient.of(second));
            DataSource db = database.dataSource();
            List<String> executionIds = new ArrayList<>();
            // Rounds of registrations submitted together, so that their deadlines pass together and both instances'
            // sweeps find them due, until some execution was taken up as waiting by both (an end was tried more often
            // than there were executions): the conditional update of its end decided which one moved it on.
            for (int round = 1; round <= 5 && endsTried(instances) <= executionIds.size(); round++) {
                List<String> submitted = submitTogether(instances, round == 1 ? "two-instances-1" : null);
                // one statement, one snapshot: the deadlines may already be firing
                int[] heldAndWaiting = ints(db, "SELECT (SELECT reserved_spots FROM day_capacity WHERE day_of_week = 'MONDAY'),"
                        + " (SELECT COUNT(*) FROM executions WHERE status = 'RUNNING')");
                assertThat(heldAndWaiting[1]).as("waiting").isPositive();
                assertThat(heldAndWaiting[0]).as("a spot held per waiting execution").isEqualTo(heldAndWaiting[1]);
                await().atMost(Duration.ofSeconds(30)).until(() -> submitted.stream()
                        .allMatch(id -> instances.get(0).execution(id).get("status").asText().equals("FAILED")));
                executionIds.addAll(submitted);
            }
            System.out.printf("%d deadlines: taken up %d times by the two instances, %d ends tried%n", executionIds.size(),
                    instances.get(0).exchangesOf("approval-deadline") + instances.get(1).exchangesOf("approval-deadline"),
                    endsTried(instances));
            assertThat(endsTried(instances)).as("the race for an end was run").isGreaterThan(executionIds.size());
            // both instances sweep on for a while after the last timeout: a second timeout had its chance
            List<Long> sweepsAtTheEnd = List.of(instances.get(0).exchangesOf("approval-deadlines"),
                    instances.get(1).exchangesOf("approval-deadlines"));
            await().atMost(Duration.ofSeconds(20)).until(() -> instances.get(0).exchangesOf("approval-deadlines")
                    >= sweepsAtTheEnd.get(0) + 5 && instances.get(1).exchangesOf("approval-deadlines") >= sweepsAtTheEnd.get(1) + 5);

            // both instances drain the one outbox, each to its own notifications log
            await().atMost(Duration.ofSeconds(20)).until(() -> ints(db,
                    "SELECT COUNT(*) FROM notification_outbox WHERE sent_at IS NULL")[0] == 0);

            SoftAssertions soft = new SoftAssertions();
            for (String executionId : executionIds) {
                JsonNode execution = instances.get(1).execution(executionId);
                soft.assertThat(execution.get("status").asText()).as(executionId).isEqualTo("FAILED");
                soft.assertThat(execution.get("error").asText()).as(executionId).isEqualTo("ApprovalTimedOut");
                List<String> history = instances.get(1).history(executionId);
                soft.assertThat(Collections.frequency(history, "EXITED Await Approval 408 timed out"))
                        .as("timeouts of " + executionId).isEqualTo(1);
                soft.assertThat(Collections.frequency(history, "ENTERED Notify Approval Timed Out"))
                        .as("failure ends of " + executionId).isEqualTo(1);
                soft.assertThat(SqlCount.of(db, FAILED_NOTIFICATIONS, executionId)).as("FAILED notifications of " + executionId)
                        .isEqualTo(1);
                List<JsonNode> published = new ArrayList<>(ApprovalClient.notificationsLogged(firstDataDir, executionId));
                published.addAll(ApprovalClient.notificationsLogged(secondDataDir, executionId));
                soft.assertThat(published).extracting(n -> n.at("/attributes/outcome").asText())
                        .as("published for " + executionId).containsExactlyInAnyOrder("APPROVAL_REQUESTED", "FAILED");
            }
            for (JsonNode day : instances.get(0).admin("/capacity").get("days")) {
                soft.assertThat(day.get("reserved").asInt()).as("every hold released: " + day).isZero();
            }
            soft.assertAll();
        }
    }

    @Test
    void eachDecisionTakenOnBothInstancesAtOnceAppliesOnce() throws Exception {
        PostgresDatabase database = PostgresServer.freshDatabase();
        // a deadline far away: only the decisions move these executions
        try (RunningApplication first = RunningApplication.start(firstDataDir, on(database, "P1D"));
             RunningApplication second = RunningApplication.start(secondDataDir, on(database, "P1D"))) {
            List<ApprovalClient> instances = List.of(ApprovalClient.of(first), ApprovalClient.of(second));
            List<String> executionIds = new ArrayList<>();
            List<HttpResponse<String>> answers = new ArrayList<>();
            // Rounds until some loser got past the first look at the execution and lost at the conditional update of
            // its end (Confirm Registration was tried more often than there were executions).
            for (int round = 1; round <= 5 && confirmationsTried(instances) <= executionIds.size(); round++) {
                List<String> waiting = new ArrayList<>();
                for (int i = 0; i < WAITING; i++) {
                    HttpResponse<String> submitted = instances.get(i % 2).register(Registrations.successCaseForAnotherChild());
                    assertThat(submitted.statusCode()).isEqualTo(202);
                    waiting.add(ApprovalClient.json(submitted.body()).get("executionId").asText());
                }
                assertThat(instances.get(1).reservedOnMonday()).as("all held").isEqualTo(executionIds.size() + WAITING);

                List<Callable<HttpResponse<String>>> approvals = new ArrayList<>();
                for (String executionId : waiting) {
                    for (ApprovalClient instance : instances) {
                        approvals.add(() -> instance.decide(executionId, "approve", null));
                    }
                }
                answers.addAll(Race.each(approvals));
                executionIds.addAll(waiting);
            }
            System.out.printf("%d executions approved on both instances at once: %d went on to Confirm Registration%n",
                    executionIds.size(), confirmationsTried(instances));
            assertThat(confirmationsTried(instances)).as("the race for an end was run").isGreaterThan(executionIds.size());

            DataSource db = database.dataSource();
            SoftAssertions soft = new SoftAssertions();
            for (int i = 0; i < executionIds.size(); i++) {
                String executionId = executionIds.get(i);
                List<HttpResponse<String>> pair = answers.subList(2 * i, 2 * i + 2);
                soft.assertThat(pair).extracting(HttpResponse::statusCode).as("answers for " + executionId)
                        .containsExactlyInAnyOrder(200, 409);
                for (HttpResponse<String> answer : pair) {
                    JsonNode body = ApprovalClient.json(answer.body());
                    if (answer.statusCode() == 200) {
                        soft.assertThat(body.get("status").asText()).isEqualTo("SUCCEEDED");
                    } else if (answer.statusCode() == 409) {
                        soft.assertThat(body.get("error").asText()).isEqualTo("NotAwaitingApproval");
                    }
                }
                List<String> history = instances.get(0).history(executionId);
                soft.assertThat(Collections.frequency(history, "EXITED Await Approval 200 approved"))
                        .as("approvals of " + executionId).isEqualTo(1);
                soft.assertThat(Collections.frequency(history, "ENTERED Succeeded")).as("ends of " + executionId).isEqualTo(1);
                soft.assertThat(SqlCount.of(db, SUCCEEDED_NOTIFICATIONS, executionId)).as("SUCCEEDED notifications of " + executionId)
                        .isEqualTo(1);
                soft.assertThat(SqlCount.of(db, "SELECT COUNT(*) FROM confirmed_registrations WHERE execution_id = ? AND NOT held",
                        executionId)).as("confirmations of " + executionId).isEqualTo(1);
            }
            for (JsonNode day : instances.get(1).admin("/capacity").get("days")) {
                soft.assertThat(day.get("reserved").asInt()).as("each hold became one confirmation: " + day)
                        .isEqualTo(executionIds.size());
            }
            soft.assertAll();
        }
    }

    /**
     * WAITING registrations, each for a child of its own, submitted together over both instances; the first with the
     * Idempotency-Key {@code key} when there is one, replayed on the other instance: with the same secret, that one
     * gives the same status token.
     */
    private static List<String> submitTogether(List<ApprovalClient> instances, String key) throws Exception {
        List<String> registrations = new ArrayList<>();
        List<Callable<HttpResponse<String>>> submissions = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            ApprovalClient instance = instances.get(i % 2);
            String registration = Registrations.successCaseForAnotherChild();
            registrations.add(registration);
            submissions.add(i == 0 && key != null ? () -> instance.register(registration, key)
                    : () -> instance.register(registration));
        }
        List<HttpResponse<String>> answers = Race.each(submissions);
        List<String> executionIds = new ArrayList<>();
        for (HttpResponse<String> submitted : answers) {
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
            executionIds.add(ApprovalClient.json(submitted.body()).get("executionId").asText());
        }
        if (key != null) {
            JsonNode replayed = ApprovalClient.json(instances.get(1).register(registrations.get(0), key).body());
            assertThat(replayed.get("executionId").asText()).isEqualTo(executionIds.get(0));
            assertThat(replayed.get("statusToken")).as("the token, given again by the other instance")
                    .isEqualTo(ApprovalClient.json(answers.get(0).body()).get("statusToken"));
        }
        return executionIds;
    }

    /** How often both instances together entered the timeout's failure end (a loser's attempt included). */
    private static long endsTried(List<ApprovalClient> instances) {
        return instances.get(0).exchangesOf("notify-approval-timed-out") + instances.get(1).exchangesOf("notify-approval-timed-out");
    }

    /** How often both instances together entered Confirm Registration (a loser's attempt included). */
    private static long confirmationsTried(List<ApprovalClient> instances) {
        return instances.get(0).exchangesOf("confirm-registration") + instances.get(1).exchangesOf("confirm-registration");
    }

    /** The first row's integer columns. */
    private static int[] ints(DataSource database, String sql) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet row = statement.executeQuery()) {
            row.next();
            int[] values = new int[row.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getInt(i + 1);
            }
            return values;
        }
    }

}
