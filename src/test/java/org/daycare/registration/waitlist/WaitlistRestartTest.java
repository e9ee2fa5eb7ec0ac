package org.daycare.registration.waitlist;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.ApprovalClient;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.daycare.registration.support.SqlCount;
import org.daycare.registration.workflow.Executions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.daycare.registration.support.ApprovalClient.json;

/**
 * The waitlist survives SIGKILL: its order and positions, its deadlines (an expiry that fell due while the service was
 * down fires after start-up, once), and a promotion committed but not yet run on (it runs on after the restart, once).
 * The killed service runs in a JVM of its own on an embedded H2 file; the restarts use the same data directory.
 */
class WaitlistRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EXPIRED_EXIT = "EXITED Waitlisted 408 no spot opened in time";
    private static final String NOTIFY_NO_SPOTS = "ENTERED Notify No Spots";

    @TempDir
    Path dataDir;

    /** One spot a day, so that the second Monday registration on waits. */
    private static Map<String, String> waitlistWith(String... more) {
        // a short notification lease: a notification a killed JVM had claimed but not yet marked sent is due again
        // within the tests' waits (the default lease, a minute, is longer than they wait)
        Map<String, String> properties = new java.util.HashMap<>(Map.of("daycare.waitlist.enabled", "true",
                "daycare.capacity.per-day", "1", "daycare.notify.lease-ms", "2000"));
        for (int i = 0; i < more.length; i += 2) {
            properties.put(more[i], more[i + 1]);
        }
        return properties;
    }

    /** A registration of a child of its own for Monday only. */
    private static String mondayOnly() {
        return Registrations.successCaseForAnotherChild(info -> info.putArray("daysOfWeek").add("Monday"));
    }

    /** An answered submission: its id and status token. */
    private record Submitted(String executionId, String token, JsonNode answer, int status) {
        static Submitted of(HttpResponse<String> response) {
            JsonNode answer = json(response);
            return new Submitted(answer.get("executionId").asText(), answer.path("statusToken").asText(null), answer,
                    response.statusCode());
        }
    }

    /** One confirmed Monday registration, then {@code waiting} more that are waitlisted, in that order. */
    private static List<Submitted> confirmedThenWaitlisted(ApprovalClient service, int waiting) {
        List<Submitted> submitted = new ArrayList<>();
        for (int i = 0; i <= waiting; i++) {
            submitted.add(Submitted.of(service.register(mondayOnly())));
        }
        assertThat(submitted.get(0).status()).as(submitted.get(0).answer().toString()).isEqualTo(201);
        for (int i = 1; i <= waiting; i++) {
            assertThat(submitted.get(i).status()).as(submitted.get(i).answer().toString()).isEqualTo(202);
            assertThat(submitted.get(i).answer().get("state").asText()).isEqualTo("Waitlisted");
            assertThat(submitted.get(i).answer().get("position").asInt()).isEqualTo(i);
        }
        return submitted;
    }

    private static int positionOf(ApprovalClient service, Submitted submitted) {
        return service.statusOf(submitted.executionId(), submitted.token()).get("position").asInt();
    }

    private static List<String> ids(List<Submitted> submitted) {
        return submitted.stream().map(Submitted::executionId).toList();
    }

    private static void kill(ApplicationProcess application) throws InterruptedException {
        application.process().destroyForcibly().waitFor();
    }

    @Test
    void afterAKillTheWaitlistKeepsItsOrderAndACancellationPromotesTheFirst() throws Exception {
        List<Submitted> submitted;
        JsonNode waitlistBefore;
        try (ApplicationProcess killed = ApplicationProcess.start(dataDir, Path.of("target/waitlist-restart-order-killed-jvm.log"),
                waitlistWith())) {
            ApprovalClient service = ApprovalClient.of(killed);
            submitted = confirmedThenWaitlisted(service, 3);
            waitlistBefore = service.admin("/waitlist");
            assertThat(service.waitlisted()).containsExactlyElementsOf(ids(submitted.subList(1, 4)));
            kill(killed);
        }

        try (ApplicationProcess restarted = ApplicationProcess.start(dataDir,
                Path.of("target/waitlist-restart-order-restarted-jvm.log"), waitlistWith())) {
            ApprovalClient service = ApprovalClient.of(restarted);
            assertThat(service.admin("/waitlist")).as("the same entries, order, positions, since and days")
                    .isEqualTo(waitlistBefore);
            for (int i = 1; i <= 3; i++) {
                assertThat(positionOf(service, submitted.get(i))).as("position of the waitlisted no. " + i).isEqualTo(i);
            }

            Submitted confirmed = submitted.get(0);
            HttpResponse<String> cancelled = service.cancel(confirmed.executionId(), confirmed.token());
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);

            Submitted first = submitted.get(1);
            await().atMost(WAIT).until(() -> service.statusOf(first.executionId(), first.token()).get("status").asText(),
                    "SUCCEEDED"::equals);
            assertThat(service.history(first.executionId())).containsSubsequence("ENTERED Waitlisted",
                    "EXITED Waitlisted 200 a spot opened", "ENTERED Check Spots Availability",
                    "EXITED Check Spots Availability 200", "ENTERED Confirm Registration",
                    "EXITED Confirm Registration 200", "ENTERED Succeeded");
            assertThat(service.waitlisted()).as("the others moved up").containsExactlyElementsOf(ids(submitted.subList(2, 4)));
            assertThat(positionOf(service, submitted.get(2))).isEqualTo(1);
            assertThat(positionOf(service, submitted.get(3))).isEqualTo(2);
            assertThat(service.statusOf(submitted.get(2).executionId(), submitted.get(2).token()).get("status").asText())
                    .isEqualTo("RUNNING");
            assertThat(service.reservedOnMonday()).isEqualTo(1);
            await().atMost(WAIT).until(() -> ApprovalClient.notificationsLogged(dataDir, first.executionId()).stream()
                    .anyMatch(n -> n.at("/attributes/outcome").asText().equals("SUCCEEDED")));
        }
    }

    @Test
    void maximumWaitsThatPassedWhileTheServiceWasKilledExpireAfterStartUpOnce() throws Exception {
        // Sweeps a minute apart: the first JVM swept only at start-up, before anyone waited, and in the second only the
        // start-up sweep can expire them within the wait below.
        Map<String, String> rareSweeps = waitlistWith("daycare.waitlist.max-wait", "PT4S",
                "daycare.approval.deadline-check-ms", "60000");
        List<Submitted> submitted;
        Instant deadlinesPassed;
        try (ApplicationProcess killed = ApplicationProcess.start(dataDir,
                Path.of("target/waitlist-restart-expiry-killed-jvm.log"), rareSweeps)) {
            ApprovalClient service = ApprovalClient.of(killed);
            submitted = confirmedThenWaitlisted(service, 2);
            // each deadline is at most the maximum wait after its answer (the service's clock is shifted by whole days)
            deadlinesPassed = Instant.now().plus(Duration.ofSeconds(4));
            assertThat(service.waitlisted()).as("waiting when killed").containsExactlyElementsOf(ids(submitted.subList(1, 3)));
            kill(killed);
        }
        while (Instant.now().isBefore(deadlinesPassed)) {
            Thread.sleep(100);
        }

        List<Submitted> waited = submitted.subList(1, 3);
        try (ApplicationProcess restarted = ApplicationProcess.start(dataDir,
                Path.of("target/waitlist-restart-expiry-restarted-jvm.log"), rareSweeps)) {
            ApprovalClient service = ApprovalClient.of(restarted);
            for (Submitted each : waited) {
                await().atMost(WAIT).until(() -> service.execution(each.executionId()).get("status").asText(),
                        "FAILED"::equals);
                JsonNode ended = service.statusOf(each.executionId(), each.token());
                assertThat(ended.get("error").asText()).isEqualTo("NoSpots");
                assertThat(ended.get("cause").asText()).isEqualTo("No spot opened within the waitlist's maximum wait.");
                assertThat(service.history(each.executionId())).containsSubsequence("ENTERED Waitlisted", EXPIRED_EXIT,
                        NOTIFY_NO_SPOTS);
            }
            assertThat(service.waitlisted()).isEmpty();
            assertThat(service.reservedOnMonday()).as("the confirmed one keeps its spot").isEqualTo(1);
            assertThat(service.execution(submitted.get(0).executionId()).get("status").asText()).isEqualTo("SUCCEEDED");
            // stopped, not killed: a kill between a publication and its mark would publish it again, which is not this test's
            restarted.process().destroy();
            assertThat(restarted.process().waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        }

        // Once more on the same data, sweeping every 100 ms: no later sweep expires them again (counted once several
        // have run), and each FAILED notification is recorded and published once.
        try (RunningApplication again = RunningApplication.start(dataDir, waitlistWith("daycare.waitlist.max-wait", "PT4S",
                "daycare.approval.deadline-check-ms", "100"))) {
            ApprovalClient service = ApprovalClient.of(again);
            await().atMost(WAIT).until(() -> service.exchangesOf("approval-deadlines") >= 5);
            DataSource database = again.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            for (Submitted each : waited) {
                await().atMost(WAIT).until(() -> SqlCount.of(database, "SELECT COUNT(*) FROM notification_outbox"
                        + " WHERE execution_id = ? AND sent_at IS NULL", each.executionId()) == 0);
                List<String> history = service.history(each.executionId());
                assertThat(Collections.frequency(history, EXPIRED_EXIT)).as("one expiry").isEqualTo(1);
                assertThat(Collections.frequency(history, NOTIFY_NO_SPOTS)).isEqualTo(1);
                // (WAITLISTED may be there twice: the kill may have come between its publication and its mark)
                assertAnnouncedOnce(database, each.executionId(), "FAILED", "Registration rejected: NoSpots");
                assertThat(service.execution(each.executionId()).get("status").asText()).isEqualTo("FAILED");
            }
            assertThat(service.waitlisted()).isEmpty();
            assertThat(service.reservedOnMonday()).isEqualTo(1);
        }
    }

    @Test
    void theStartUpSweepRunsOnMorePromotionsThanOneSweepTakes() throws Exception {
        int promotions = Executions.SWEEP_SIZE + 20;
        Map<String, String> rareSweeps = waitlistWith("daycare.approval.deadline-check-ms", "60000");
        List<Submitted> submitted;
        try (ApplicationProcess killed = ApplicationProcess.start(dataDir,
                Path.of("target/waitlist-restart-many-promotions-killed-jvm.log"), rareSweeps)) {
            ApprovalClient service = ApprovalClient.of(killed);
            submitted = new ArrayList<>();
            for (int i = 0; i <= promotions; i++) {
                submitted.add(Submitted.of(service.register(mondayOnly())));
            }
            assertThat(submitted).extracting(Submitted::status).containsOnlyOnce(201).containsOnly(201, 202);
            HttpResponse<String> raised = service.changeCapacity("Monday", "{\"total\": " + (promotions + 1) + "}");
            assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
            assertThat(json(raised).get("promoted")).hasSize(promotions);
            kill(killed);
        }

        // Sweeps a minute apart here too: within the wait below only the start-up sweep runs, and it must go on past
        // its first batch of SWEEP_SIZE for all of them to end.
        try (ApplicationProcess restarted = ApplicationProcess.start(dataDir,
                Path.of("target/waitlist-restart-many-promotions-restarted-jvm.log"), rareSweeps)) {
            ApprovalClient service = ApprovalClient.of(restarted);
            for (Submitted each : submitted.subList(1, submitted.size())) {
                await().atMost(WAIT).until(() -> service.statusOf(each.executionId(), each.token()).get("status").asText(),
                        "SUCCEEDED"::equals);
            }
            assertThat(service.admin("/executions?status=RUNNING").get("executions")).isEmpty();
            assertThat(service.reservedOnMonday()).isEqualTo(promotions + 1);
        }
    }

    @Test
    void aPromotionCommittedButNotRunOnWhenKilledRunsOnAfterTheRestartOnce() throws Exception {
        List<Submitted> submitted;
        Submitted promoted;
        // Sweeps a minute apart: the first JVM's only sweep ran at start-up, so the promotion is committed (its spot
        // held, due at once) but nothing runs it on before the kill.
        try (ApplicationProcess killed = ApplicationProcess.start(dataDir,
                Path.of("target/waitlist-restart-promotion-killed-jvm.log"),
                waitlistWith("daycare.approval.deadline-check-ms", "60000"))) {
            ApprovalClient service = ApprovalClient.of(killed);
            submitted = confirmedThenWaitlisted(service, 2);
            promoted = submitted.get(1);

            HttpResponse<String> raised = service.changeCapacity("Monday", "{\"total\": 2}");
            assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
            assertThat(json(raised).get("promoted")).extracting(JsonNode::asText).containsExactly(promoted.executionId());
            JsonNode recorded = service.statusOf(promoted.executionId(), promoted.token());
            assertThat(recorded.get("status").asText()).as("not run on yet").isEqualTo("RUNNING");
            assertThat(recorded.get("state").asText()).isEqualTo("Check Spots Availability");
            assertThat(service.history(promoted.executionId())).doesNotContain("ENTERED Confirm Registration");
            assertThat(service.reservedOnMonday()).as("its spot is held").isEqualTo(2);
            kill(killed);
        }

        try (RunningApplication restarted = RunningApplication.start(dataDir,
                waitlistWith("daycare.approval.deadline-check-ms", "100"))) {
            ApprovalClient service = ApprovalClient.of(restarted);
            await().atMost(WAIT).until(() -> service.statusOf(promoted.executionId(), promoted.token()).get("status").asText(),
                    "SUCCEEDED"::equals);
            // several sweeps after the end, none takes it up again
            long sweepsAtTheEnd = service.exchangesOf("approval-deadlines");
            await().atMost(WAIT).until(() -> service.exchangesOf("approval-deadlines") >= sweepsAtTheEnd + 5);
            DataSource database = restarted.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            await().atMost(WAIT).until(() -> SqlCount.of(database, "SELECT COUNT(*) FROM notification_outbox"
                    + " WHERE execution_id = ? AND sent_at IS NULL", promoted.executionId()) == 0);

            List<String> history = service.history(promoted.executionId());
            assertThat(history).containsSubsequence("ENTERED Waitlisted", "EXITED Waitlisted 200 a spot opened",
                    "ENTERED Check Spots Availability", "EXITED Check Spots Availability 200", "ENTERED Confirm Registration",
                    "EXITED Confirm Registration 200", "ENTERED Succeeded");
            assertThat(history).as("run on once").containsOnlyOnce("EXITED Waitlisted 200 a spot opened",
                    "EXITED Confirm Registration 200", "ENTERED Succeeded");
            assertThat(Collections.frequency(history, "ENTERED Succeeded")).isEqualTo(1);
            assertAnnouncedOnce(database, promoted.executionId(), "SUCCEEDED", "Registration confirmed");
            assertThat(SqlCount.of(database, "SELECT COUNT(*) FROM confirmed_registrations WHERE execution_id = ?"
                    + " AND held = FALSE", promoted.executionId())).as("its hold became its confirmation").isEqualTo(1);
            assertThat(service.reservedOnMonday()).as("two confirmed, nothing taken twice").isEqualTo(2);
            assertThat(service.waitlisted()).containsExactly(submitted.get(2).executionId());
            assertThat(positionOf(service, submitted.get(2))).isEqualTo(1);
        }
    }

    /** The outcome was recorded once in the outbox and published once, with that subject. */
    private void assertAnnouncedOnce(DataSource database, String executionId, String outcome, String subject)
            throws Exception {
        assertThat(SqlCount.of(database, "SELECT COUNT(*) FROM notification_outbox WHERE execution_id = ?"
                + " AND attributes LIKE ?", executionId, "%\"outcome\":\"" + outcome + "\"%"))
                .as("%s notifications recorded", outcome).isEqualTo(1);
        assertThat(ApprovalClient.notificationsLogged(dataDir, executionId))
                .filteredOn(n -> n.at("/attributes/outcome").asText().equals(outcome))
                .extracting(n -> n.get("subject").asText())
                .containsExactly(subject);
    }
}
