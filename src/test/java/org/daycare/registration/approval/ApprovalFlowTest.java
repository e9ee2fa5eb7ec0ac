package org.daycare.registration.approval;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.ApprovalClient;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Director approval over HTTP and through the file drop, with daycare.approval.required=always: a registration waits
 * (202, its spots held, APPROVAL_REQUESTED notified), the director approves or rejects it, families follow and
 * cancel it through their status link.
 */
class ApprovalFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningApplication app;
    static ApprovalClient http;

    @BeforeAll
    static void start() {
        app = RunningApplication.start(dataDir, Map.of("daycare.approval.required", "always",
                "daycare.capacity.per-day", "100"));
        http = ApprovalClient.of(app);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aRegistrationWaitsWithItsSpotsHeldIsListedAndConfirmedOnApproval() throws Exception {
        int reservedBefore = http.reservedOn("Monday");
        HttpResponse<String> submitted = app.postRegistration(Registrations.successCaseForAnotherChild());

        assertThat(submitted.statusCode()).isEqualTo(202);
        JsonNode waiting = JSON.readTree(submitted.body());
        String executionId = waiting.get("executionId").asText();
        String token = waiting.get("statusToken").asText();
        assertThat(waiting.get("status").asText()).isEqualTo("RUNNING");
        assertThat(waiting.get("state").asText()).isEqualTo("Await Approval");
        assertThat(token).as("at least 128 random bits, base64url").matches("[A-Za-z0-9_-]{22,}");
        assertThat(http.reservedOn("Monday")).as("the spots are held").isEqualTo(reservedBefore + 1);

        JsonNode queue = JSON.readTree(app.admin("/approvals").body()).get("approvals");
        JsonNode listed = find(queue, executionId);
        assertThat(listed.get("childLastName").asText()).isEqualTo("Diallo");
        assertThat(listed.get("childAge").asInt()).isEqualTo(5);
        assertThat(listed.get("specialInstructions").asText()).contains("peanut");
        assertThat(listed.get("deadline").asText()).isNotEmpty();

        assertThat(http.statusOf(executionId, token).get("status").asText()).isEqualTo("RUNNING");

        HttpResponse<String> approved = http.decide(executionId, "approve", null);
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(approved.body()).as("the director's answer is not the family's token").doesNotContain(token);
        JsonNode now = http.statusOf(executionId, token);
        assertThat(now.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(now.at("/output/fees").asInt()).isEqualTo(650);
        assertThat(http.reservedOn("Monday")).as("the hold became the confirmation's").isEqualTo(reservedBefore + 1);
        assertThat(find(JSON.readTree(app.admin("/approvals").body()).get("approvals"), executionId)).isNull();

        assertThat(http.history(executionId)).containsSubsequence("ENTERED Await Approval",
                "EXITED Await Approval 200 approved", "ENTERED Confirm Registration", "EXITED Confirm Registration 200",
                "ENTERED Succeeded");
        assertThat(http.notificationsOf(executionId, 2)).extracting(n -> n.at("/attributes/outcome").asText())
                .containsExactly("APPROVAL_REQUESTED", "SUCCEEDED");
        assertThat(http.notificationsOf(executionId, 2).get(0).get("subject").asText()).isEqualTo("Approval requested");

        HttpResponse<String> again = http.decide(executionId, "approve", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("error").asText()).isEqualTo("NotAwaitingApproval");
        assertThat(http.decide(executionId, "reject", "{\"reason\":\"too late\"}").statusCode()).isEqualTo(409);
        assertThat(http.decide("0190f0b2-6b52-7cc5-9d4e-1234567890ab", "approve", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aRejectionEndsFailedWithTheReasonAndReleasesTheHold() throws Exception {
        int reservedBefore = http.reservedOn("Monday");
        String executionId = JSON.readTree(app.postRegistration(Registrations.successCaseForAnotherChild()).body())
                .get("executionId").asText();
        assertThat(http.reservedOn("Monday")).isEqualTo(reservedBefore + 1);

        assertThat(http.decide(executionId, "reject", null).statusCode()).as("no reason").isEqualTo(400);
        assertThat(http.decide(executionId, "reject", "{\"reason\":\"  \"}").statusCode()).as("a blank reason").isEqualTo(400);
        assertThat(http.decide(executionId, "reject", "{\"reason\":\"" + "x".repeat(501) + "\"}").statusCode()).isEqualTo(400);
        assertThat(http.decide(executionId, "reject", "{\"reason\":\"line\\u0007bell\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> rejected = http.decide(executionId, "reject", "{\"reason\":\"The group is full of toddlers.\"}");

        assertThat(rejected.statusCode()).isEqualTo(200);
        JsonNode result = JSON.readTree(rejected.body());
        assertThat(result.get("status").asText()).isEqualTo("FAILED");
        assertThat(result.get("error").asText()).isEqualTo("ApprovalRejected");
        assertThat(result.get("cause").asText()).isEqualTo("The group is full of toddlers.");
        assertThat(http.reservedOn("Monday")).as("the hold is released").isEqualTo(reservedBefore);
        assertThat(http.history(executionId)).contains("EXITED Await Approval 403 rejected: The group is full of toddlers.",
                "ENTERED Notify Approval Rejected");
        assertThat(http.notificationsOf(executionId, 2)).extracting(n -> n.get("subject").asText())
                .containsExactly("Approval requested", "Registration rejected: ApprovalRejected");
    }

    @Test
    void theStatusLinkOpensWithItsTokenOrTheAdminTokenAndIsAStrangersUnknownIdOtherwise() throws Exception {
        HttpResponse<String> submitted = app.postRegistration(Registrations.successCaseForAnotherChild());
        JsonNode waiting = JSON.readTree(submitted.body());
        String executionId = waiting.get("executionId").asText();
        String token = waiting.get("statusToken").asText();
        String other = JSON.readTree(app.postRegistration(Registrations.successCaseForAnotherChild()).body())
                .get("statusToken").asText();

        HttpResponse<String> own = http.status(executionId, token);
        HttpResponse<String> admin = http.status(executionId, RunningApplication.ADMIN_TOKEN);
        HttpResponse<String> wrong = http.status(executionId, other);
        HttpResponse<String> none = http.status(executionId, null);
        HttpResponse<String> unknown = http.status("0190f0b2-6b52-7cc5-9d4e-1234567890ab", token);

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).get("state").asText()).isEqualTo("Await Approval");
        assertThat(own.body()).doesNotContain("statusToken").doesNotContain("peanut").doesNotContain("aicha");
        assertThat(own.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(admin.statusCode()).isEqualTo(200);
        for (HttpResponse<String> refused : List.of(wrong, none, unknown)) {
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).isEqualTo(unknown.body());
        }
    }

    @Test
    void repliesToARepeatedSubmissionCarryTheTokenOnlyThroughTheSameKey() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        HttpResponse<String> first = postWithKey(registration, "approval-key-1");
        HttpResponse<String> keyed = postWithKey(registration, "approval-key-1");
        HttpResponse<String> keyless = app.postRegistration(registration);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(keyed.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(keyed.body()).get("statusToken")).isEqualTo(JSON.readTree(first.body()).get("statusToken"));
        assertThat(keyless.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(keyless.body()).get("executionId")).isEqualTo(JSON.readTree(first.body()).get("executionId"));
        assertThat(JSON.readTree(keyless.body()).has("statusToken")).as("a keyless replay gets no token").isFalse();
    }

    @Test
    void aFamilyCancelsAWaitingRegistrationThroughItsStatusLinkAndItsHoldIsReleased() throws Exception {
        int reservedBefore = http.reservedOn("Monday");
        JsonNode waiting = JSON.readTree(app.postRegistration(Registrations.successCaseForAnotherChild()).body());
        String executionId = waiting.get("executionId").asText();
        String token = waiting.get("statusToken").asText();

        HttpResponse<String> cancelled = http.cancel(executionId, token);
        HttpResponse<String> again = http.cancel(executionId, token);
        HttpResponse<String> stranger = http.cancel(executionId, "not-the-token");

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(http.reservedOn("Monday")).isEqualTo(reservedBefore);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(http.statusOf(executionId, token).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(http.history(executionId)).contains("EXITED Await Approval 410 cancelled", "ENTERED Cancelled");
        assertThat(http.notificationsOf(executionId, 2)).extracting(n -> n.at("/attributes/outcome").asText())
                .containsExactly("APPROVAL_REQUESTED", "CANCELLED");
        assertThat(http.decide(executionId, "approve", null).statusCode()).isEqualTo(409);
    }

    @Test
    void aDroppedFileGetsTheWaitingDocumentThenTheFinalOneReplacesIt() throws Exception {
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        Path staged = Files.writeString(dataDir.resolve("waiting-family.json.tmp"), Registrations.successCaseForAnotherChild());
        Files.move(staged, inbox.resolve("waiting-family.json"));
        Path result = dataDir.resolve("outbox/waiting-family.result.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(result));
        JsonNode waiting = JSON.readTree(result.toFile());
        assertThat(waiting.get("status").asText()).isEqualTo("RUNNING");
        assertThat(waiting.get("statusToken").asText()).isNotEmpty();

        assertThat(http.decide(waiting.get("executionId").asText(), "approve", null).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> JSON.readTree(result.toFile()).get("status").asText().equals("SUCCEEDED"));
        assertThat(JSON.readTree(result.toFile()).at("/output/fees").asInt()).isEqualTo(650);
    }

    // ---------------------------------------------------------------------------------------------------------

    static JsonNode find(JsonNode list, String executionId) {
        for (JsonNode item : list) {
            if (item.get("executionId").asText().equals(executionId)) {
                return item;
            }
        }
        return null;
    }





    private static HttpResponse<String> postWithKey(String body, String key) {
        return app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }



}
