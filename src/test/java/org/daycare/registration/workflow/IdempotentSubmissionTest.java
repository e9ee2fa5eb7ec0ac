package org.daycare.registration.workflow;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;








import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.registration.support.CapturedLog;
import org.daycare.registration.support.Race;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A submission repeated, with the same Idempotency-Key or for the same child, starts nothing new, and no answer
 * carries data its request did not send: a stranger who knows a child's name and birth date, or guesses someone
 * else's key, learns nothing of the stored registration.
 */
class IdempotentSubmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What only the first registration of the spec's example sent: none may reach anyone else. */
    private static final List<String> FIRST_REGISTRATIONS_DATA = List.of("aicha.cisse@example.com", "123-456-7890",
            "ibrahim.diallo@example.com", "098-765-4321", "Aicha", "Ibrahim", "peanut", "Tuesday");

    @TempDir
    static Path dataDir;
    static RunningApplication app;

    @BeforeAll
    static void start() {
        app = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", "100"));
        // Confirm Registration waits 100 ms first, so that racing submissions all get past the look-up of earlier
        // answers before the first is recorded, and the races below run their contended paths on any machine
        try {
            org.apache.camel.builder.AdviceWith.adviceWith(app.context(), "confirm-registration",
                    route -> route.weaveAddFirst().delay(100));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theSameKeyWithTheSameDocumentReturnsTheFirstResponseAndStartsNothingNew() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        int reservedBefore = reservedOnMonday();

        HttpResponse<String> first = postWithKey(registration, "key-confirmed");
        HttpResponse<String> again = postWithKey(registration, "key-confirmed");
        // the same document parsed: other whitespace and key order are no other document
        HttpResponse<String> reordered = postWithKey(reordered(registration), "key-confirmed");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(List.of(again, reordered)).allSatisfy(replay -> {
            assertThat(replay.statusCode()).isEqualTo(201);
            assertThat(JSON.readTree(replay.body())).isEqualTo(JSON.readTree(first.body()));
        });
        assertThat(reservedOnMonday()).isEqualTo(reservedBefore + 1);
        assertThat(executionsOfChild(registration)).isEqualTo(1);
    }

    @Test
    void theSameKeyReturnsTheFirstFailureToo() throws Exception {
        HttpResponse<String> first = postWithKey(Registrations.forChildBornOn("2014-02-02"), "key-too-old");
        HttpResponse<String> again = postWithKey(Registrations.forChildBornOn("2014-02-02"), "key-too-old");

        assertThat(first.statusCode()).isEqualTo(422);
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree(first.body()));
    }

    @Test
    void theSameKeyWithAnotherDocumentIsRefusedWithNothingOfTheFirst() throws Exception {
        HttpResponse<String> first = postWithKey(Registrations.SUCCESS_CASE.replace("Mohamed", "Keyholder"), "key-of-a-family");
        int executionsBefore = executionsNamed("Diallo");
        int reservedBefore = reservedOnMonday();

        String strangers = Registrations.SUCCESS_CASE.replace("Mohamed", "Keyholder")
                .replace("aicha.cisse@example.com", "someone.else@example.org");
        HttpResponse<String> refused = postWithKey(strangers, "key-of-a-family");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode answer = JSON.readTree(refused.body());
        assertThat(answer.get("error").asText()).isEqualTo("IdempotencyKeyReused");
        assertThat(fieldNames(answer)).containsExactly("error", "cause");
        assertThat(refused.body()).doesNotContain(JSON.readTree(first.body()).get("executionId").asText());
        assertThat(executionsNamed("Diallo")).as("no execution started").isEqualTo(executionsBefore);
        assertThat(reservedOnMonday()).isEqualTo(reservedBefore);
    }

    /** The leak of the issue: a registered child's name and birth date, from anywhere, with no token. */
    @Test
    void aStrangerWhoKnowsARegisteredChildsIdentityLearnsNothing() throws Exception {
        HttpResponse<String> family = app.postRegistration(Registrations.forChildBornOn("2021-03-27").replace("Mohamed", "Leakproof"));
        String firstExecutionId = JSON.readTree(family.body()).get("executionId").asText();

        HttpResponse<String> bare = app.postRegistration("""
                {"registration_info":{"child":{"firstName":"leakproof","lastName":"diallo","dateOfBirth":"2021-03-27"}}}""");
        HttpResponse<String> complete = app.postRegistration(strangersDocumentFor("Leakproof"));

        assertThat(family.statusCode()).isEqualTo(201);
        assertThat(bare.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(bare.body()).get("error").asText()).isEqualTo("InformationIncomplete");
        assertThat(complete.statusCode()).isEqualTo(422);
        JsonNode refused = JSON.readTree(complete.body());
        assertThat(refused.get("error").asText()).isEqualTo("AlreadyRegistered");
        assertThat(refused.get("cause").asText()).isEqualTo("This child already holds a registration; contact the daycare.");
        for (HttpResponse<String> answer : List.of(bare, complete)) {
            assertThat(answer.body()).doesNotContain(firstExecutionId);
            FIRST_REGISTRATIONS_DATA.forEach(secret -> assertThat(answer.body()).doesNotContain(secret));
        }
    }

    @Test
    void withoutAKeyTheIdenticalRegistrationIsARetryAnsweredWithItsConfirmation() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        HttpResponse<String> first = app.postRegistration(registration);
        int reservedAfterFirst = reservedOnMonday();

        HttpResponse<String> again = app.postRegistration(reordered(registration));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode confirmation = JSON.readTree(again.body());
        assertThat(confirmation.get("executionId")).isEqualTo(JSON.readTree(first.body()).get("executionId"));
        assertThat(confirmation.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(confirmation.get("output")).isEqualTo(JSON.readTree(first.body()).get("output"));
        assertThat(reservedOnMonday()).isEqualTo(reservedAfterFirst);
        assertThat(executionsOfChild(registration)).isEqualTo(1);
    }

    @Test
    void withoutAKeyAnotherDocumentForARegisteredChildEndsAlreadyRegisteredRecordedAndNotified() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        HttpResponse<String> first = app.postRegistration(registration);
        String childFirstName = JSON.readTree(registration).at("/registration_info/child/firstName").asText();
        int reservedAfterFirst = reservedOnMonday();
        // the same child written differently (case, spaces) with other contacts: another document
        String other = strangersDocumentFor(" " + childFirstName.toUpperCase() + " ");

        HttpResponse<String> refused = app.postRegistration(other);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode answer = JSON.readTree(refused.body());
        String executionId = answer.get("executionId").asText();
        assertThat(executionId).isNotEqualTo(JSON.readTree(first.body()).get("executionId").asText());
        assertThat(answer.get("status").asText()).isEqualTo("FAILED");
        assertThat(answer.get("error").asText()).isEqualTo("AlreadyRegistered");
        assertThat(fieldNames(answer)).containsExactly("executionId", "status", "error", "cause", "statusToken");
        assertThat(reservedOnMonday()).isEqualTo(reservedAfterFirst);

        JsonNode recorded = JSON.readTree(app.admin("/executions/" + executionId).body());
        assertThat(recorded.get("status").asText()).isEqualTo("FAILED");
        assertThat(recorded.get("error").asText()).isEqualTo("AlreadyRegistered");
        JsonNode history = JSON.readTree(app.admin("/executions/" + executionId + "/history").body()).get("events");
        assertThat(history.findValuesAsText("state")).contains("Confirm Registration", "Notify Already Registered");

        String notified = awaitNotificationOf(executionId);
        assertThat(notified).contains("AlreadyRegistered").doesNotContain(JSON.readTree(first.body()).get("executionId").asText());
        FIRST_REGISTRATIONS_DATA.forEach(secret -> assertThat(notified).doesNotContain(secret));
    }

    @Test
    void concurrentIdenticalSubmissionsWithOneKeyAreAnsweredAsOneExecution() throws Exception {
        try (CapturedLog log = CapturedLog.of(Executions.class)) {
            for (int round = 1; round <= 10 && contendedRuns(log) == 0; round++) {
                String key = "key-identical-" + UUID.randomUUID();
                String registration = Registrations.successCaseForAnotherChild();
                int reservedBefore = reservedOnMonday();

                List<HttpResponse<String>> answers = Race.of(8, () -> postWithKey(registration, key));

                assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(201);
                assertThat(answers).extracting(answer -> JSON.readTree(answer.body())).containsOnly(JSON.readTree(answers.get(0).body()));
                assertThat(reservedOnMonday()).isEqualTo(reservedBefore + 1);
                assertThat(executionsOfChild(registration)).isEqualTo(1);
            }
            assertThat(contendedRuns(log)).as("some submission lost the race after running the workflow").isPositive();
        }
    }

    @Test
    void concurrentIdenticalSubmissionsWithoutAKeyAreAnsweredWithTheOneConfirmation() throws Exception {
        try (CapturedLog log = CapturedLog.of(Executions.class)) {
            for (int round = 1; round <= 10 && log.count("a concurrent execution answered the same submission") == 0; round++) {
                String registration = Registrations.successCaseForAnotherChild();
                int reservedBefore = reservedOnMonday();

                List<HttpResponse<String>> answers = Race.of(8, () -> app.postRegistration(registration));

                assertThat(answers).extracting(HttpResponse::statusCode).containsOnlyOnce(201).containsOnly(201, 200);
                // the same document, but for the status token: the first answer's only (a keyless retry gets none)
                assertThat(answers).extracting(answer -> withoutStatusToken(answer.body()))
                        .containsOnly(withoutStatusToken(answers.get(0).body()));
                assertThat(answers).filteredOn(answer -> answer.statusCode() == 200)
                        .allSatisfy(retry -> assertThat(JSON.readTree(retry.body()).has("statusToken")).isFalse());
                assertThat(reservedOnMonday()).isEqualTo(reservedBefore + 1);
                assertThat(executionsOfChild(registration)).isEqualTo(1);
            }
            assertThat(log.count("a concurrent execution answered the same submission"))
                    .as("some retry ran the workflow and lost the reservation to its twin").isPositive();
        }
    }

    @Test
    void concurrentDifferentDocumentsWithOneKeyGetOneExecutionAndRefusalsWithNothingOfIt() throws Exception {
        try (CapturedLog log = CapturedLog.of(Executions.class)) {
            for (int round = 1; round <= 10 && log.count("another with its Idempotency-Key was recorded first") == 0; round++) {
                String key = "key-different-" + UUID.randomUUID();
                int reservedBefore = reservedOnMonday();
                int executionsBefore = executionsNamed("Diallo");

                List<HttpResponse<String>> answers = Race.of(8, () -> postWithKey(Registrations.successCaseForAnotherChild(), key));

                List<HttpResponse<String>> confirmed = answers.stream().filter(a -> a.statusCode() == 201).toList();
                assertThat(confirmed).hasSize(1);
                String winner = JSON.readTree(confirmed.get(0).body()).get("executionId").asText();
                assertThat(answers).filteredOn(a -> a.statusCode() != 201).hasSize(7).allSatisfy(refused -> {
                    assertThat(refused.statusCode()).isEqualTo(422);
                    assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("IdempotencyKeyReused");
                    assertThat(refused.body()).doesNotContain(winner);
                });
                assertThat(reservedOnMonday()).isEqualTo(reservedBefore + 1);
                assertThat(executionsNamed("Diallo")).isEqualTo(executionsBefore + 1);
            }
            assertThat(log.count("another with its Idempotency-Key was recorded first"))
                    .as("some submission ran the workflow and was rolled back as the key's concurrent twin").isPositive();
        }
    }

    @Test
    void anIdempotencyKeyLongerThanTheStoreHoldsIsTheClientsError() {
        HttpResponse<String> response = postWithKey(Registrations.successCaseForAnotherChild(), "k".repeat(201));

        assertThat(response.statusCode()).isEqualTo(400);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static long contendedRuns(CapturedLog log) {
        return log.count("another with its Idempotency-Key was recorded first")
                + log.count("a concurrent execution answered the same submission");
    }

    /** A complete, valid registration for the spec's child with the given first name, by someone else. */
    private static String strangersDocumentFor(String childFirstName) {
        return """
                {"registration_info": {
                  "child": {"firstName": "%s", "lastName": "Diallo", "dateOfBirth": "2021-03-27"},
                  "parents": {"mother": {"firstName": "Eve", "lastName": "Stranger", "email": "eve@example.net"}},
                  "daysOfWeek": ["Monday"]}}""".formatted(childFirstName);
    }

    /** The same document with its keys in reverse order at every level and no whitespace. */
    private static String reordered(String document) throws Exception {
        return JSON.writeValueAsString(reversed(JSON.readTree(document)));
    }

    private static JsonNode reversed(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        List<String> names = fieldNames(node);
        ObjectNode copy = JSON.createObjectNode();
        for (int i = names.size() - 1; i >= 0; i--) {
            copy.set(names.get(i), reversed(node.get(names.get(i))));
        }
        return copy;
    }

    private static JsonNode withoutStatusToken(String body) throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(body);
        document.remove("statusToken");
        return document;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String awaitNotificationOf(String executionId) throws Exception {
        Path log = dataDir.resolve("notifications/outcomes.jsonl");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(log) && Files.readString(log).contains(executionId));
        return Files.readAllLines(log).stream().filter(line -> line.contains(executionId)).findFirst().orElseThrow();
    }

    private static HttpResponse<String> postWithKey(String body, String key) {
        return app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static int reservedOnMonday() throws Exception {
        return JSON.readTree(app.admin("/capacity").body()).get("days").get(0).get("reserved").asInt();
    }

    private static int executionsNamed(String childLastName) throws Exception {
        return JSON.readTree(app.admin("/executions?childLastName=" + childLastName + "&limit=200").body())
                .get("executions").size();
    }

    private static int executionsOfChild(String registration) throws Exception {
        String firstName = JSON.readTree(registration).at("/registration_info/child/firstName").asText();
        JsonNode all = JSON.readTree(app.admin("/executions?childLastName=Diallo&limit=200").body()).get("executions");
        int count = 0;
        for (JsonNode summary : all) {
            JsonNode execution = JSON.readTree(app.admin("/executions/" + summary.get("executionId").asText()).body());
            if (execution.at("/input/registration_info/child/firstName").asText().equals(firstName)) {
                count++;
            }
        }
        return count;
    }
}
