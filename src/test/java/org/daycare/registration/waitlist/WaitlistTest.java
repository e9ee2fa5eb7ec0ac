package org.daycare.registration.waitlist;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.daycare.registration.support.ApprovalClient.json;

/**
 * The waitlist (daycare.waitlist.enabled) over HTTP and the file drop, each test with an application of its own:
 * joining with a position, promotion oldest first on a cancellation, a raise and a released approval hold, skipping
 * a registration that does not fit, expiry, the capacity endpoint, and a retry of a waitlisted child.
 */
class WaitlistTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private RunningApplication start(Map<String, String> overrides) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("daycare.waitlist.enabled", "true",
                "daycare.approval.deadline-check-ms", "100"));
        all.putAll(overrides);
        return RunningApplication.start(Files.createDirectories(dataDir.resolve("app")), all);
    }

    /** A registration of a child of its own for these days. */
    static String forDays(String... days) {
        return Registrations.successCaseForAnotherChild(info -> {
            var array = info.putArray("daysOfWeek");
            for (String day : days) {
                array.add(day);
            }
            info.put("specialInstructions", "");
        });
    }

    /** An answered submission: its id, status token and document. */
    private record Submitted(String executionId, String token, JsonNode answer, int status) {
        static Submitted of(HttpResponse<String> response) {
            JsonNode answer = json(response);
            return new Submitted(answer.get("executionId").asText(), answer.path("statusToken").asText(null), answer,
                    response.statusCode());
        }
    }

    private static String statusOf(ApprovalClient http, Submitted submitted) {
        return http.statusOf(submitted.executionId(), submitted.token()).get("status").asText();
    }

    private static void awaitStatus(ApprovalClient http, Submitted submitted, String status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> statusOf(http, submitted).equals(status));
    }

    @Test
    void aCancellationPromotesTheFirstWaitlistedAndTheOthersMoveUp() throws Exception {
        try (RunningApplication app = start(Map.of("daycare.capacity.per-day", "2"))) {
            ApprovalClient http = ApprovalClient.of(app);
            List<Submitted> submitted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                submitted.add(Submitted.of(http.register(forDays("Monday"))));
            }
            assertThat(submitted).extracting(Submitted::status).containsExactly(201, 201, 202, 202, 202);
            for (int i = 2; i < 5; i++) {
                JsonNode answer = submitted.get(i).answer();
                assertThat(answer.get("status").asText()).isEqualTo("RUNNING");
                assertThat(answer.get("state").asText()).isEqualTo("Waitlisted");
                assertThat(answer.get("position").asInt()).isEqualTo(i - 1);
                assertThat(answer.get("statusToken").asText()).isNotEmpty();
            }
            List<String> waitlisted = submitted.subList(2, 5).stream().map(Submitted::executionId).toList();
            assertThat(http.waitlisted()).containsExactlyElementsOf(waitlisted);
            assertThat(http.metrics().value("daycare_waitlist_length")).isEqualTo(3.0);
            assertThat(http.notificationsOf(waitlisted.get(0), 1)).extracting(n -> n.get("subject").asText(),
                    n -> n.at("/attributes/outcome").asText()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("Registration waitlisted", "WAITLISTED"));

            HttpResponse<String> cancelled = http.decide(submitted.get(0).executionId(), "cancel", null);
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);

            Submitted first = submitted.get(2);
            awaitStatus(http, first, "SUCCEEDED");
            assertThat(http.notificationsOf(first.executionId(), 2)).extracting(n -> n.at("/attributes/outcome").asText())
                    .containsExactly("WAITLISTED", "SUCCEEDED");
            assertThat(http.history(first.executionId())).containsSubsequence("EXITED Check Spots Availability 400",
                    "ENTERED Waitlisted", "EXITED Waitlisted 200 a spot opened", "ENTERED Check Spots Availability",
                    "EXITED Check Spots Availability 200", "ENTERED Confirm Registration",
                    "EXITED Confirm Registration 200", "ENTERED Succeeded");
            // the others moved up
            assertThat(http.statusOf(submitted.get(3).executionId(), submitted.get(3).token()).get("position").asInt())
                    .isEqualTo(1);
            assertThat(http.statusOf(submitted.get(4).executionId(), submitted.get(4).token()).get("position").asInt())
                    .isEqualTo(2);
            assertThat(http.waitlisted()).containsExactlyElementsOf(waitlisted.subList(1, 3));
            assertThat(http.reservedOn("Monday")).isEqualTo(2);
        }
    }

    @Test
    void aRaisePromotesTheNextInOrderAndATotalNeverGoesBelowWhatIsReserved() throws Exception {
        try (RunningApplication app = start(Map.of("daycare.capacity.per-day", "2"))) {
            ApprovalClient http = ApprovalClient.of(app);
            List<Submitted> submitted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                submitted.add(Submitted.of(http.register(forDays("Monday"))));
            }

            HttpResponse<String> raised = http.changeCapacity("Monday", "{\"total\": 4}");
            assertThat(raised.statusCode()).as(raised.body()).isEqualTo(200);
            assertThat(json(raised).get("total").asInt()).isEqualTo(4);
            List<String> promoted = new ArrayList<>();
            json(raised).get("promoted").forEach(id -> promoted.add(id.asText()));
            assertThat(promoted).containsExactly(submitted.get(2).executionId(), submitted.get(3).executionId());
            awaitStatus(http, submitted.get(2), "SUCCEEDED");
            awaitStatus(http, submitted.get(3), "SUCCEEDED");
            assertThat(statusOf(http, submitted.get(4))).isEqualTo("RUNNING");
            assertThat(http.waitlisted()).containsExactly(submitted.get(4).executionId());
            assertThat(http.reservedOn("Monday")).isEqualTo(4);

            HttpResponse<String> lowered = http.changeCapacity("Monday", "{\"total\": 3}");
            assertThat(lowered.statusCode()).isEqualTo(409);
            assertThat(json(lowered).get("error").asText()).isEqualTo("BelowReserved");
            assertThat(http.changeCapacity("Saturday", "{\"total\": 3}").statusCode()).isEqualTo(404);
            assertThat(http.changeCapacity("Funday", "{\"total\": 3}").statusCode()).isEqualTo(400);
            assertThat(http.changeCapacity("Monday", "{\"total\": -1}").statusCode()).isEqualTo(400);
            assertThat(http.changeCapacity("Monday", "{\"total\": \"many\"}").statusCode()).isEqualTo(400);
            assertThat(http.changeCapacity("Monday", "not json").statusCode()).isEqualTo(400);
            // a lowering to exactly what is reserved is fine, and promotes nobody
            HttpResponse<String> exact = http.changeCapacity("Monday", "{\"total\": 4}");
            assertThat(json(exact).get("promoted")).isEmpty();
        }
    }

    @Test
    void aWaitlistedRegistrationThatDoesNotFitDoesNotBlockALaterOneThatDoes() throws Exception {
        try (RunningApplication app = start(Map.of("daycare.capacity.per-day", "1"))) {
            ApprovalClient http = ApprovalClient.of(app);
            Submitted monday = Submitted.of(http.register(forDays("Monday")));
            Submitted tuesday = Submitted.of(http.register(forDays("Tuesday")));
            Submitted both = Submitted.of(http.register(forDays("Monday", "Tuesday")));
            Submitted mondayOnly = Submitted.of(http.register(forDays("Monday")));
            assertThat(List.of(monday.status(), tuesday.status(), both.status(), mondayOnly.status()))
                    .containsExactly(201, 201, 202, 202);
            assertThat(both.answer().get("position").asInt()).isEqualTo(1);
            assertThat(mondayOnly.answer().get("position").asInt()).isEqualTo(2);

            // only Monday frees: the older Monday-and-Tuesday one does not fit, the later Monday-only one does
            assertThat(http.cancel(monday.executionId(), monday.token()).statusCode()).isEqualTo(200);
            awaitStatus(http, mondayOnly, "SUCCEEDED");
            assertThat(statusOf(http, both)).isEqualTo("RUNNING");
            assertThat(http.statusOf(both.executionId(), both.token()).get("position").asInt()).isEqualTo(1);

            // then Tuesday frees too, and Monday again: now it fits
            assertThat(http.cancel(tuesday.executionId(), tuesday.token()).statusCode()).isEqualTo(200);
            // Monday is still taken: it still waits, first (a promotion happens in the cancellation's own transaction)
            assertThat(http.waitlisted()).containsExactly(both.executionId());
            assertThat(http.statusOf(both.executionId(), both.token()).get("state").asText()).isEqualTo("Waitlisted");
            assertThat(http.cancel(mondayOnly.executionId(), mondayOnly.token()).statusCode()).isEqualTo(200);
            awaitStatus(http, both, "SUCCEEDED");
            assertThat(http.reservedOn("Monday")).isEqualTo(1);
            assertThat(http.reservedOn("Tuesday")).isEqualTo(1);
        }
    }

    @Test
    void withApprovalAPromotedRegistrationWaitsForTheDirectorWithItsSpotHeld() throws Exception {
        try (RunningApplication app = start(Map.of("daycare.capacity.per-day", "1", "daycare.approval.required", "always"))) {
            ApprovalClient http = ApprovalClient.of(app);
            Submitted held = Submitted.of(http.register(forDays("Monday")));
            assertThat(held.answer().get("state").asText()).isEqualTo("Await Approval");
            Submitted waitlisted = Submitted.of(http.register(forDays("Monday")));
            assertThat(waitlisted.answer().get("state").asText()).isEqualTo("Waitlisted");

            // the director rejects the first: its hold is released, and the spot goes to the waitlisted one
            assertThat(http.decide(held.executionId(), "reject", "{\"reason\":\"no\"}").statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> http.statusOf(waitlisted.executionId(), waitlisted.token())
                    .path("state").asText().equals("Await Approval"));
            assertThat(http.reservedOn("Monday")).as("its spot is held").isEqualTo(1);
            assertThat(http.awaitingApproval()).containsExactly(waitlisted.executionId());
            assertThat(http.notificationsOf(waitlisted.executionId(), 2)).extracting(n -> n.at("/attributes/outcome").asText())
                    .containsExactly("WAITLISTED", "APPROVAL_REQUESTED");

            assertThat(http.decide(waitlisted.executionId(), "approve", null).statusCode()).isEqualTo(200);
            assertThat(statusOf(http, waitlisted)).isEqualTo("SUCCEEDED");
            assertThat(http.history(waitlisted.executionId())).containsSubsequence("ENTERED Waitlisted",
                    "EXITED Waitlisted 200 a spot opened", "ENTERED Check Spots Availability",
                    "EXITED Check Spots Availability 200", "ENTERED Await Approval", "EXITED Await Approval 200 approved",
                    "ENTERED Confirm Registration", "ENTERED Succeeded");
            assertThat(http.reservedOn("Monday")).isEqualTo(1);
        }
    }

    @Test
    void aRegistrationNoSpotOpensForEndsNoSpotsAfterItsMaximumWait() throws Exception {
        try (RunningApplication app = start(Map.of("daycare.capacity.per-day", "1", "daycare.waitlist.max-wait", "PT2S"))) {
            ApprovalClient http = ApprovalClient.of(app);
            Submitted confirmed = Submitted.of(http.register(forDays("Monday")));
            Submitted waiting = Submitted.of(http.register(forDays("Monday")));
            assertThat(List.of(confirmed.status(), waiting.status())).containsExactly(201, 202);

            // nothing but the sweep moves it on
            awaitStatus(http, waiting, "FAILED");
            JsonNode ended = http.statusOf(waiting.executionId(), waiting.token());
            assertThat(ended.get("error").asText()).isEqualTo("NoSpots");
            assertThat(ended.get("cause").asText()).isEqualTo("No spot opened within the waitlist's maximum wait.");
            assertThat(http.history(waiting.executionId())).containsSubsequence("ENTERED Waitlisted",
                    "EXITED Waitlisted 408 no spot opened in time", "ENTERED Notify No Spots");
            assertThat(http.notificationsOf(waiting.executionId(), 2)).extracting(n -> n.at("/attributes/outcome").asText())
                    .containsExactly("WAITLISTED", "FAILED");
            assertThat(http.waitlisted()).isEmpty();
            assertThat(http.reservedOn("Monday")).isEqualTo(1);
            // a cancellation of the confirmed one later promotes nobody: the expired one is gone
            assertThat(http.cancel(confirmed.executionId(), confirmed.token()).statusCode()).isEqualTo(200);
            assertThat(http.reservedOn("Monday")).isZero();
        }
    }

    @Test
    void aCancelledWaitlistedRegistrationLeavesTheWaitlist() throws Exception {
        try (RunningApplication app = start(Map.of("daycare.capacity.per-day", "1"))) {
            ApprovalClient http = ApprovalClient.of(app);
            Submitted confirmed = Submitted.of(http.register(forDays("Monday")));
            Submitted first = Submitted.of(http.register(forDays("Monday")));
            Submitted second = Submitted.of(http.register(forDays("Monday")));

            HttpResponse<String> cancelled = http.cancel(first.executionId(), first.token());
            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
            assertThat(json(cancelled).get("status").asText()).isEqualTo("CANCELLED");
            assertThat(http.waitlisted()).containsExactly(second.executionId());
            assertThat(http.statusOf(second.executionId(), second.token()).get("position").asInt()).isEqualTo(1);
            assertThat(http.history(first.executionId())).containsSubsequence("ENTERED Waitlisted",
                    "EXITED Waitlisted 410 cancelled", "ENTERED Cancelled");
            assertThat(http.notificationsOf(first.executionId(), 2)).extracting(n -> n.at("/attributes/outcome").asText())
                    .containsExactly("WAITLISTED", "CANCELLED");
            assertThat(http.reservedOn("Monday")).isEqualTo(1);

            // the spot that frees goes to the one still waiting
            assertThat(http.cancel(confirmed.executionId(), confirmed.token()).statusCode()).isEqualTo(200);
            awaitStatus(http, second, "SUCCEEDED");
            assertThat(statusOf(http, first)).isEqualTo("CANCELLED");
        }
    }

    @Test
    void aRetryOfAWaitlistedChildIsAnsweredWhereItStandsAndDoesNotWaitTwice() throws Exception {
        try (RunningApplication app = start(Map.of("daycare.capacity.per-day", "1"))) {
            ApprovalClient http = ApprovalClient.of(app);
            http.register(forDays("Monday"));
            String document = forDays("Monday");
            Submitted waiting = Submitted.of(http.register(document));
            assertThat(waiting.status()).isEqualTo(202);

            HttpResponse<String> retry = http.register(document);
            assertThat(retry.statusCode()).isEqualTo(202);
            assertThat(json(retry).get("executionId").asText()).isEqualTo(waiting.executionId());
            assertThat(json(retry).get("state").asText()).isEqualTo("Waitlisted");
            assertThat(json(retry).has("statusToken")).as("a keyless retry gets no token").isFalse();
            assertThat(http.waitlisted()).containsExactly(waiting.executionId());

            // the same child with another document: it already waits
            String other = document.replace("\"Monday\"", "\"Monday\",\"Tuesday\"");
            HttpResponse<String> another = http.register(other);
            assertThat(another.statusCode()).as(another.body()).isEqualTo(422);
            assertThat(json(another).get("error").asText()).isEqualTo("AlreadyRegistered");
            assertThat(http.waitlisted()).containsExactly(waiting.executionId());
        }
    }

    @Test
    void aDroppedFileGetsItsPlaceThenTheConfirmationReplacesIt() throws Exception {
        try (RunningApplication app = start(Map.of("daycare.capacity.per-day", "1"))) {
            ApprovalClient http = ApprovalClient.of(app);
            Submitted confirmed = Submitted.of(http.register(forDays("Monday")));
            Path inbox = Files.createDirectories(app.dataDir().resolve("inbox"));
            Path staged = Files.writeString(app.dataDir().resolve("family.json.tmp"), forDays("Monday"));
            Files.move(staged, inbox.resolve("family.json"));
            Path result = app.dataDir().resolve("outbox/family.result.json");
            await().atMost(WAIT).until(() -> Files.exists(result));
            JsonNode waiting = JSON.readTree(result.toFile());
            assertThat(waiting.get("state").asText()).isEqualTo("Waitlisted");
            assertThat(waiting.get("position").asInt()).isEqualTo(1);
            String token = waiting.get("statusToken").asText();
            assertThat(token).isNotEmpty();

            assertThat(http.cancel(confirmed.executionId(), confirmed.token()).statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> JSON.readTree(result.toFile()).get("status").asText().equals("SUCCEEDED"));
            JsonNode done = JSON.readTree(result.toFile());
            assertThat(done.get("executionId").asText()).isEqualTo(waiting.get("executionId").asText());
            assertThat(done.get("statusToken").asText()).isEqualTo(token);
        }
    }

    @Test
    void aRunTimeTotalSurvivesARestartAndTheConfigurationOnlySeeds() throws Exception {
        Path data = Files.createDirectories(dataDir.resolve("app"));
        try (RunningApplication app = RunningApplication.start(data, Map.of("daycare.capacity.per-day", "2"))) {
            assertThat(ApprovalClient.of(app).changeCapacity("Monday", "{\"total\": 7}").statusCode()).isEqualTo(200);
        }
        try (RunningApplication app = RunningApplication.start(data, Map.of("daycare.capacity.per-day", "3"))) {
            JsonNode days = ApprovalClient.of(app).admin("/capacity").get("days");
            assertThat(days.get(0).get("day").asText()).isEqualTo("Monday");
            assertThat(days.get(0).get("total").asInt()).as("the database wins").isEqualTo(7);
            assertThat(days.get(1).get("total").asInt()).as("seeded once, by the first start").isEqualTo(2);
        }
    }
}
