package org.daycare.registration.approval;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.daycare.registration.support.SqlCount;
import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.ApprovalClient;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A waiting execution, its hold and its deadline survive the service's end: a graceful stop (SIGTERM) and a kill
 * (SIGKILL), each followed by a start on the same data directory (the embedded H2 file). The service runs in a JVM of
 * its own, with daycare.approval.required=always.
 */
class ApprovalRestartTest {

    private static final String NOTIFY_TIMED_OUT = "ENTERED Notify Approval Timed Out";

    @TempDir
    Path dataDir;

    @Test
    void aRegistrationWaitingAtAStopStillWaitsWithItsHoldAfterTheRestartAndIsConfirmedOnApproval() throws Exception {
        Map<String, String> always = Map.of("daycare.approval.required", "always");
        String executionId;
        String statusToken;
        JsonNode listedBefore;
        int reservedBefore;
        try (ApplicationProcess first = ApplicationProcess.start(dataDir, Path.of("target/approval-restart-stopped-jvm.log"),
                always)) {
            ApprovalClient service = ApprovalClient.of(first);
            reservedBefore = service.reservedOnMonday();
            HttpResponse<String> submitted = service.register(Registrations.successCaseForAnotherChild());
            assertThat(submitted.statusCode()).isEqualTo(202);
            executionId = ApprovalClient.json(submitted.body()).get("executionId").asText();
            statusToken = ApprovalClient.json(submitted.body()).get("statusToken").asText();
            listedBefore = service.listedForApproval(executionId);
            assertThat(listedBefore).isNotNull();
            assertThat(service.reservedOnMonday()).as("held while it waits").isEqualTo(reservedBefore + 1);

            stopGracefully(first);
        }

        try (ApplicationProcess second = ApplicationProcess.start(dataDir, Path.of("target/approval-restart-started-jvm.log"),
                always)) {
            ApprovalClient service = ApprovalClient.of(second);
            assertThat(service.listedForApproval(executionId)).as("still awaiting approval, same deadline")
                    .isEqualTo(listedBefore);
            assertThat(service.reservedOnMonday()).as("the hold survived").isEqualTo(reservedBefore + 1);
            HttpResponse<String> status = service.status(executionId, statusToken);
            assertThat(status.statusCode()).as("the family's status link still opens").isEqualTo(200);
            assertThat(ApprovalClient.json(status.body()).get("status").asText()).isEqualTo("RUNNING");
            assertThat(ApprovalClient.json(status.body()).get("state").asText()).isEqualTo("Await Approval");

            HttpResponse<String> approved = service.decide(executionId, "approve", null);

            assertThat(approved.statusCode()).isEqualTo(200);
            assertThat(ApprovalClient.json(approved.body()).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(ApprovalClient.json(service.status(executionId, statusToken).body()).get("status").asText())
                    .isEqualTo("SUCCEEDED");
            assertThat(service.reservedOnMonday()).as("the hold became the confirmation's").isEqualTo(reservedBefore + 1);
            assertThat(service.listedForApproval(executionId)).isNull();
            assertThat(service.history(executionId)).containsSubsequence("ENTERED Await Approval",
                    "EXITED Await Approval 200 approved", "ENTERED Confirm Registration", "EXITED Confirm Registration 200",
                    "ENTERED Succeeded");
        }
    }

    @Test
    void aDeadlineThatPassedWhileTheServiceWasKilledFiresAtStartUpOnce() throws Exception {
        // Sweeps a minute apart: the first JVM cannot time the registration out before it is killed (its only sweep ran
        // at start-up), and in the second only the start-up sweep can do it within the wait below.
        // (a short notification lease: one the killed JVM had claimed but not marked sent is due again within the waits)
        Map<String, String> rareSweeps = Map.of("daycare.approval.required", "always", "daycare.approval.timeout", "PT3S",
                "daycare.notify.lease-ms", "2000",
                "daycare.approval.deadline-check-ms", "60000");
        String executionId;
        int reservedBefore;
        Instant deadlinePassed;
        try (ApplicationProcess killed = ApplicationProcess.start(dataDir, Path.of("target/approval-restart-killed-jvm.log"),
                rareSweeps)) {
            ApprovalClient service = ApprovalClient.of(killed);
            reservedBefore = service.reservedOnMonday();
            HttpResponse<String> submitted = service.register(Registrations.successCaseForAnotherChild());
            // the deadline is at most the timeout after the answer (the service's clock is shifted by whole days only)
            deadlinePassed = Instant.now().plus(Duration.ofSeconds(3));
            assertThat(submitted.statusCode()).isEqualTo(202);
            executionId = ApprovalClient.json(submitted.body()).get("executionId").asText();
            assertThat(service.listedForApproval(executionId)).as("waiting when killed").isNotNull();
            assertThat(service.reservedOnMonday()).isEqualTo(reservedBefore + 1);

            killed.process().destroyForcibly().waitFor();
        }
        while (Instant.now().isBefore(deadlinePassed)) {
            Thread.sleep(100);
        }

        try (ApplicationProcess restarted = ApplicationProcess.start(dataDir,
                Path.of("target/approval-restart-after-kill-jvm.log"), rareSweeps)) {
            ApprovalClient service = ApprovalClient.of(restarted);
            await().atMost(Duration.ofSeconds(30)).until(() -> service.execution(executionId).get("status").asText(),
                    "FAILED"::equals);

            assertThat(service.execution(executionId).get("error").asText()).isEqualTo("ApprovalTimedOut");
            assertThat(service.history(executionId)).containsSubsequence("ENTERED Await Approval",
                    "EXITED Await Approval 408 timed out", NOTIFY_TIMED_OUT);
            assertThat(service.reservedOnMonday()).as("the hold is released").isEqualTo(reservedBefore);
            assertThat(service.listedForApproval(executionId)).isNull();
            stopGracefully(restarted);
        }

        // Once more on the same data, sweeping every 100 ms: neither the start-up sweep nor the later ones time it out
        // again (counted once several have run), and its notification is published once.
        try (RunningApplication again = RunningApplication.start(dataDir, Map.of("daycare.approval.required", "always",
                "daycare.approval.timeout", "PT3S", "daycare.approval.deadline-check-ms", "100"))) {
            ApprovalClient service = ApprovalClient.of(again);
            await().atMost(Duration.ofSeconds(20)).until(() -> service.exchangesOf("approval-deadlines") >= 5);
            DataSource database = again.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> SqlCount.of(database,
                    "SELECT COUNT(*) FROM notification_outbox WHERE execution_id = ? AND sent_at IS NULL", executionId) == 0);

            List<String> history = service.history(executionId);
            assertThat(history).as("one timeout: one exit from Await Approval, one failure end")
                    .containsOnlyOnce("EXITED Await Approval 408 timed out");
            assertThat(Collections.frequency(history, NOTIFY_TIMED_OUT)).isEqualTo(1);
            assertThat(SqlCount.of(database, "SELECT COUNT(*) FROM notification_outbox WHERE execution_id = ?"
                    + " AND attributes LIKE '%\"outcome\":\"FAILED\"%'", executionId)).as("FAILED notifications").isEqualTo(1);
            // (APPROVAL_REQUESTED may be there twice: the kill may have come between its publication and its mark)
            assertThat(ApprovalClient.notificationsLogged(dataDir, executionId))
                    .filteredOn(n -> n.at("/attributes/outcome").asText().equals("FAILED"))
                    .extracting(n -> n.get("subject").asText())
                    .containsExactly("Registration rejected: ApprovalTimedOut");
            assertThat(service.execution(executionId).get("status").asText()).isEqualTo("FAILED");
            assertThat(service.reservedOnMonday()).isEqualTo(reservedBefore);
        }
    }

    /** SIGTERM, as an operator stops the service, and its exit. */
    private static void stopGracefully(ApplicationProcess application) throws InterruptedException {
        application.process().destroy();
        assertThat(application.process().waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    }

}
