package org.daycare.registration.security;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.ApprovalClient;
import org.daycare.registration.support.RunningApplication;
import org.daycare.registration.support.StandalonePostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole log of a full run, with the service's own logging configuration, holds no personal data: every name,
 * e-mail address, phone number and date of birth submitted (confirmed, repeated, refused for a reused key, refused
 * as AlreadyRegistered, rejected, incomplete, malformed, over HTTP and by file, and through a database outage
 * with a dropped file named after the child) is searched for in it, and none may appear; nor may the admin token
 * or a wrong one presented. Execution ids do.
 */
class LogPrivacyTest {

    private static final String CHILD_FIRST = "Zephyrine";
    private static final String CHILD_LAST = "Quillonbrae";
    private static final String PARENT_FIRST = "Ottoline";
    private static final String EMAIL = "ottoline.quillonbrae@example.org";
    private static final String PHONE = "555-0199-7731";
    private static final String BORN = "2022-04-17";
    private static final String TOO_OLD = "2015-09-03";
    private static final String WRONG_TOKEN = "guessed-token-4711";
    private static final String KEY = "family-key-of-" + CHILD_LAST;

    @TempDir
    Path dataDir;
    @TempDir
    Path postgresDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void noNameEmailPhoneOrDateOfBirthReachesTheLog() throws Exception {
        Path log = Path.of("target/log-privacy-run.log");
        String confirmed = registration(CHILD_FIRST, BORN);
        String otherDocumentForTheSameChild = confirmed.replace("\"Monday\"", "\"Friday\"");
        String keyed = registration(CHILD_FIRST + "e", BORN);
        String tooOld = registration(CHILD_FIRST + "a", TOO_OLD);
        String incomplete = registration(CHILD_FIRST + "b", "2022-02-30").replace("\"daysOfWeek\": [\"Monday\"]", "\"daysOfWeek\": [\"Sunday\"]");
        String malformed = registration(CHILD_FIRST + "c", BORN).substring(0, 120);
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        Map<String, String> settings = new HashMap<>();
        // the logging configuration the service ships with, not the tests' own
        settings.put("logback.configurationFile", Path.of("target/classes/logback.xml").toAbsolutePath().toString());

        try (StandalonePostgres postgres = StandalonePostgres.start(postgresDir)) {
            settings.putAll(postgres.settings());
            try (ApplicationProcess app = ApplicationProcess.start(dataDir, log, settings)) {
                assertThat(post(app, confirmed, null).statusCode()).isEqualTo(201);
                assertThat(post(app, confirmed, null).statusCode()).as("a repeated submission").isEqualTo(200);
                assertThat(post(app, otherDocumentForTheSameChild, null).body()).contains("AlreadyRegistered");
                assertThat(post(app, keyed, KEY).statusCode()).isEqualTo(201);
                assertThat(post(app, keyed.replace(EMAIL, "x" + EMAIL), KEY).body()).contains("IdempotencyKeyReused");
                for (String body : List.of(tooOld, incomplete, malformed)) {
                    assertThat(post(app, body, null).statusCode()).isEqualTo(body == tooOld ? 422 : body == malformed ? 400 : 422);
                }
                assertThat(app.get("/executions?childLastName=" + CHILD_LAST, RunningApplication.ADMIN_TOKEN)).isEqualTo(200);
                assertThat(app.get("/capacity", WRONG_TOKEN)).isEqualTo(401);
                drop(inbox, CHILD_LAST.toLowerCase() + "-copy.json", registration(CHILD_FIRST + "d", BORN));
                drop(inbox, "broken.json", malformed);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dataDir.resolve("outbox/broken.result.json"))
                        && Files.exists(dataDir.resolve("outbox/" + CHILD_LAST.toLowerCase() + "-copy.result.json")));

                // a database outage: a request refused with 503, and a file named after the child waiting in the inbox
                postgres.stop();
                assertThat(post(app, registration(CHILD_FIRST + "f", BORN), null).statusCode()).isEqualTo(503);
                drop(inbox, CHILD_FIRST.toLowerCase() + "-outage.json", registration(CHILD_FIRST + "g", BORN));
                await().atMost(Duration.ofSeconds(30)).until(() -> occurrences(Files.readString(log), "stays in the inbox") >= 2);
                postgres.restart();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> Files.exists(dataDir.resolve("outbox/" + CHILD_FIRST.toLowerCase() + "-outage.result.json")));
                // the local notifications log is written in the background: wait for it, it must not echo into the log
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dataDir.resolve("notifications/outcomes.jsonl")));
            }
        }

        String written = Files.readString(log);
        assertThat(written).contains("ended: SUCCEEDED").contains("ended: FAILED InvalidAge")
                .contains("ended: FAILED AlreadyRegistered").contains("reused an Idempotency-Key")
                .contains("repeated submission").contains("stays in the inbox");
        assertThat(written).as("tokens are never logged")
                .doesNotContain(RunningApplication.ADMIN_TOKEN).doesNotContain(WRONG_TOKEN).doesNotContain(KEY);
        for (String personal : List.of(CHILD_FIRST, CHILD_LAST, PARENT_FIRST, EMAIL, PHONE, BORN, TOO_OLD, "2022-02-30")) {
            assertThat(written).as("the log must not contain %s", personal).doesNotContainIgnoringCase(personal);
        }
    }

    /**
     * The waiting states: a registration awaiting approval rejected with a reason that names the child, a wrong status
     * token, a waitlisted registration promoted by a cancellation, one cancelled through its status link and one
     * whose maximum wait passes. None of their personal data, reasons or tokens reaches the log.
     */
    @Test
    void noPersonalDataReachesTheLogFromApprovalsAndTheWaitlist() throws Exception {
        Path log = Path.of("target/log-privacy-waiting-run.log");
        Map<String, String> settings = new HashMap<>(Map.of(
                "logback.configurationFile", Path.of("target/classes/logback.xml").toAbsolutePath().toString(),
                "daycare.approval.required", "with-special-instructions", "daycare.waitlist.enabled", "true",
                "daycare.capacity.per-day", "1", "daycare.waitlist.max-wait", "PT3S",
                "daycare.approval.deadline-check-ms", "100"));
        String reason = "No place for " + CHILD_FIRST + " " + CHILD_LAST + " this term";
        String statusToken;
        try (ApplicationProcess app = ApplicationProcess.start(dataDir, log, settings)) {
            ApprovalClient client = ApprovalClient.of(app);
            // awaits approval (it has special instructions), then is rejected with a reason naming the child
            HttpResponse<String> waiting = post(app, registration(CHILD_FIRST, BORN), null);
            assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(202);
            String awaiting = ApprovalClient.json(waiting).get("executionId").asText();
            statusToken = ApprovalClient.json(waiting).get("statusToken").asText();
            // Monday's one spot is held: the next ones wait on the waitlist
            HttpResponse<String> first = post(app, registration(CHILD_FIRST + "h", BORN).replaceFirst("\"specialInstructions\": \"[^\"]*\"", "\"specialInstructions\": \"\""), null);
            HttpResponse<String> second = post(app, registration(CHILD_FIRST + "i", BORN).replaceFirst("\"specialInstructions\": \"[^\"]*\"", "\"specialInstructions\": \"\""), null);
            assertThat(ApprovalClient.json(first).get("state").asText()).isEqualTo("Waitlisted");
            assertThat(client.status(awaiting, WRONG_TOKEN).statusCode()).isEqualTo(404);
            assertThat(client.decide(awaiting, "reject", "{\"reason\":\"" + reason + "\"}").statusCode()).isEqualTo(200);
            // the rejection freed the spot: the first waitlisted one is promoted; the second is cancelled by its family
            String promoted = ApprovalClient.json(first).get("executionId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.execution(promoted).get("status").asText()
                    .matches("SUCCEEDED|RUNNING") && !client.history(promoted).isEmpty()
                    && client.history(promoted).contains("EXITED Waitlisted 200 a spot opened"));
            String cancelled = ApprovalClient.json(second).get("executionId").asText();
            assertThat(client.cancel(cancelled, ApprovalClient.json(second).get("statusToken").asText()).statusCode())
                    .isEqualTo(200);
            // and one more waits until its maximum wait passes
            HttpResponse<String> expires = post(app, registration(CHILD_FIRST + "j", BORN).replaceFirst("\"specialInstructions\": \"[^\"]*\"", "\"specialInstructions\": \"\""), null);
            String expiring = ApprovalClient.json(expires).get("executionId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.execution(expiring).get("status").asText().equals("FAILED"));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dataDir.resolve("notifications/outcomes.jsonl")));
        }

        String written = Files.readString(log);
        assertThat(written).contains("joined the waitlist").contains("promoted from the waitlist")
                .contains("ended: FAILED ApprovalRejected").contains("ended: CANCELLED").contains("ended: FAILED NoSpots");
        assertThat(written).as("tokens and reasons are never logged").doesNotContain(RunningApplication.ADMIN_TOKEN)
                .doesNotContain(WRONG_TOKEN).doesNotContain(statusToken).doesNotContain("this term");
        for (String personal : List.of(CHILD_FIRST, CHILD_LAST, PARENT_FIRST, EMAIL, PHONE, BORN)) {
            assertThat(written).as("the log must not contain %s", personal).doesNotContainIgnoringCase(personal);
        }
    }

    private HttpResponse<String> post(ApplicationProcess app, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/registrations")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void drop(Path inbox, String name, String content) throws Exception {
        Path staged = Files.writeString(dataDir.resolve(name + ".tmp"), content);
        Files.move(staged, inbox.resolve(name));
    }

    private static int occurrences(String text, String fragment) {
        int count = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            count++;
        }
        return count;
    }

    private static String registration(String childFirstName, String dateOfBirth) {
        return """
                {"registration_info": {
                  "child": {"firstName": "%s", "lastName": "%s", "dateOfBirth": "%s"},
                  "parents": {"mother": {"firstName": "%s", "lastName": "%s", "email": "%s", "phone": "%s"}},
                  "daysOfWeek": ["Monday"],
                  "specialInstructions": "Allergic to %s"}}
                """.formatted(childFirstName, CHILD_LAST, dateOfBirth, PARENT_FIRST, CHILD_LAST, EMAIL, PHONE, CHILD_FIRST);
    }
}
