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

    @BeforeAll
    static void start() {
        app = RunningApplication.start(dataDir, Map.of("daycare.approval.required", "always",
                "daycare.capacity.per-day", "100"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aRegistrationWaitsWithItsSpotsHeldIsListedAndConfirmedOnApproval() throws Exception {
        int reservedBefore = reservedOnMonday();
        HttpResponse<String> submitted = app.postRegistration(Registrations.successCaseForAnotherChild());

        assertThat(submitted.statusCode()).isEqualTo(202);
        JsonNode waiting = JSON.readTree(submitted.body());
        String executionId = waiting.get("executionId").asText();
        String token = waiting.get("statusToken").asText();
        assertThat(waiting.get("status").asText()).isEqualTo("RUNNING");
        assertThat(waiting.get("state").asText()).isEqualTo("Await Approval");
        assertThat(token).as("at least 128 random bits, base64url").matches("[A-Za-z0-9_-]{22,}");
        assertThat(reservedOnMonday()).as("the spots are held").isEqualTo(reservedBefore + 1);

        JsonNode queue = JSON.readTree(app.admin("/approvals").body()).get("approvals");
        JsonNode listed = find(queue, executionId);
        assertThat(listed.get("childLastName").asText()).isEqualTo("Diallo");
        assertThat(listed.get("childAge").asInt()).isEqualTo(5);
        assertThat(listed.get("specialInstructions").asText()).contains("peanut");
        assertThat(listed.get("deadline").asText()).isNotEmpty();

        assertThat(statusWith(executionId, token).get("status").asText()).isEqualTo("RUNNING");

        HttpResponse<String> approved = decide(executionId, "approve", null);
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(approved.body()).as("the director's answer is not the family's token").doesNotContain(token);
        JsonNode now = statusWith(executionId, token);
        assertThat(now.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(now.at("/output/fees").asInt()).isEqualTo(650);
        assertThat(reservedOnMonday()).as("the hold became the confirmation's").isEqualTo(reservedBefore + 1);
        assertThat(find(JSON.readTree(app.admin("/approvals").body()).get("approvals"), executionId)).isNull();

        assertThat(historyOf(executionId)).containsSubsequence("ENTERED Await Approval",
                "EXITED Await Approval 200 approved", "ENTERED Confirm Registration", "EXITED Confirm Registration 200",
                "ENTERED Succeeded");
        assertThat(notificationsOf(executionId)).extracting(n -> n.at("/attributes/outcome").asText())
                .containsExactly("APPROVAL_REQUESTED", "SUCCEEDED");
        assertThat(notificationsOf(executionId).get(0).get("subject").asText()).isEqualTo("Approval requested");

        HttpResponse<String> again = decide(executionId, "approve", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("error").asText()).isEqualTo("NotAwaitingApproval");
        assertThat(decide(executionId, "reject", "{\"reason\":\"too late\"}").statusCode()).isEqualTo(409);
        assertThat(decide("0190f0b2-6b52-7cc5-9d4e-1234567890ab", "approve", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aRejectionEndsFailedWithTheReasonAndReleasesTheHold() throws Exception {
        int reservedBefore = reservedOnMonday();
        String executionId = JSON.readTree(app.postRegistration(Registrations.successCaseForAnotherChild()).body())
                .get("executionId").asText();
        assertThat(reservedOnMonday()).isEqualTo(reservedBefore + 1);

        assertThat(decide(executionId, "reject", null).statusCode()).as("no reason").isEqualTo(400);
        assertThat(decide(executionId, "reject", "{\"reason\":\"  \"}").statusCode()).as("a blank reason").isEqualTo(400);
        assertThat(decide(executionId, "reject", "{\"reason\":\"" + "x".repeat(501) + "\"}").statusCode()).isEqualTo(400);
        assertThat(decide(executionId, "reject", "{\"reason\":\"line\\u0007bell\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> rejected = decide(executionId, "reject", "{\"reason\":\"The group is full of toddlers.\"}");

        assertThat(rejected.statusCode()).isEqualTo(200);
        JsonNode result = JSON.readTree(rejected.body());
        assertThat(result.get("status").asText()).isEqualTo("FAILED");
        assertThat(result.get("error").asText()).isEqualTo("ApprovalRejected");
        assertThat(result.get("cause").asText()).isEqualTo("The group is full of toddlers.");
        assertThat(reservedOnMonday()).as("the hold is released").isEqualTo(reservedBefore);
        assertThat(historyOf(executionId)).contains("EXITED Await Approval 403 rejected: The group is full of toddlers.",
                "ENTERED Notify Approval Rejected");
        assertThat(notificationsOf(executionId)).extracting(n -> n.get("subject").asText())
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

        HttpResponse<String> own = status(executionId, token);
        HttpResponse<String> admin = status(executionId, RunningApplication.ADMIN_TOKEN);
        HttpResponse<String> wrong = status(executionId, other);
        HttpResponse<String> none = status(executionId, null);
        HttpResponse<String> unknown = status("0190f0b2-6b52-7cc5-9d4e-1234567890ab", token);

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
        int reservedBefore = reservedOnMonday();
        JsonNode waiting = JSON.readTree(app.postRegistration(Registrations.successCaseForAnotherChild()).body());
        String executionId = waiting.get("executionId").asText();
        String token = waiting.get("statusToken").asText();

        HttpResponse<String> cancelled = cancel(executionId, token);
        HttpResponse<String> again = cancel(executionId, token);
        HttpResponse<String> stranger = cancel(executionId, "not-the-token");

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(reservedOnMonday()).isEqualTo(reservedBefore);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(statusWith(executionId, token).get("status").asText()).isEqualTo("CANCELLED");
        assertThat(historyOf(executionId)).contains("EXITED Await Approval 410 cancelled", "ENTERED Cancelled");
        assertThat(notificationsOf(executionId)).extracting(n -> n.at("/attributes/outcome").asText())
                .containsExactly("APPROVAL_REQUESTED", "CANCELLED");
        assertThat(decide(executionId, "approve", null).statusCode()).isEqualTo(409);
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

        assertThat(decide(waiting.get("executionId").asText(), "approve", null).statusCode()).isEqualTo(200);

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

    private static HttpResponse<String> decide(String executionId, String action, String body) {
        return app.send(HttpRequest.newBuilder(app.uri("/executions/" + executionId + "/" + action))
                .header("Authorization", "Bearer " + RunningApplication.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> status(String executionId, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/registrations/" + executionId)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return app.send(request);
    }

    private static JsonNode statusWith(String executionId, String token) throws Exception {
        HttpResponse<String> response = status(executionId, token);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> cancel(String executionId, String token) {
        return app.send(HttpRequest.newBuilder(app.uri("/registrations/" + executionId + "/cancel"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static HttpResponse<String> postWithKey(String body, String key) {
        return app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static int reservedOnMonday() throws Exception {
        return JSON.readTree(app.admin("/capacity").body()).get("days").get(0).get("reserved").asInt();
    }

    private static List<String> historyOf(String executionId) throws Exception {
        List<String> events = new ArrayList<>();
        for (JsonNode event : JSON.readTree(app.admin("/executions/" + executionId + "/history").body()).get("events")) {
            events.add((event.get("type").asText() + " " + event.get("state").asText()
                    + (event.has("statusCode") ? " " + event.get("statusCode").asInt() : "")
                    + (event.hasNonNull("detail") ? " " + event.get("detail").asText() : "")));
        }
        return events;
    }

    /** This execution's notifications from the local notifications log, in order, once there are as many as expected. */
    private static List<JsonNode> notificationsOf(String executionId) throws Exception {
        Path log = dataDir.resolve("notifications/outcomes.jsonl");
        List<JsonNode> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found.clear();
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    JsonNode notification = JSON.readTree(line);
                    if (notification.at("/attributes/executionId").asText().equals(executionId)) {
                        found.add(notification);
                    }
                }
            }
            return found.size() >= 2;
        });
        return found;
    }
}
