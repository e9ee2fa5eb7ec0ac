package org.daycare.registration.workflow;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A submission repeated, with the same Idempotency-Key or for the same child, starts nothing new. */
class IdempotentSubmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningApplication app;

    @BeforeAll
    static void start() {
        app = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", "100"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theSameIdempotencyKeyReturnsTheFirstResponseAndStartsNothingNew() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        int reservedBefore = reservedOnMonday();

        HttpResponse<String> first = postWithKey(registration, "key-confirmed");
        HttpResponse<String> again = postWithKey(registration, "key-confirmed");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree(first.body()));
        assertThat(reservedOnMonday()).isEqualTo(reservedBefore + 1);
        assertThat(executionsOfChild(registration)).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyReturnsTheFirstFailureToo() throws Exception {
        HttpResponse<String> first = postWithKey(Registrations.forChildBornOn("2014-02-02"), "key-too-old");
        HttpResponse<String> again = postWithKey(Registrations.forChildBornOn("2014-02-02"), "key-too-old");

        assertThat(first.statusCode()).isEqualTo(422);
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree(first.body()));
    }

    @Test
    void withoutAKeyAChildWhoAlreadyHoldsAConfirmationGetsThatConfirmationBack() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        HttpResponse<String> first = app.postRegistration(registration);
        int reservedAfterFirst = reservedOnMonday();
        // same child, written differently: case and spaces do not make another child
        String sameChild = registration.replace("\"lastName\": \"Diallo\", \"dateOfBirth\"", "\"lastName\": \" DIALLO \", \"dateOfBirth\"");

        HttpResponse<String> again = app.postRegistration(sameChild);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode confirmation = JSON.readTree(again.body());
        assertThat(confirmation.get("executionId")).isEqualTo(JSON.readTree(first.body()).get("executionId"));
        assertThat(confirmation.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(confirmation.get("output")).isEqualTo(JSON.readTree(first.body()).get("output"));
        assertThat(reservedOnMonday()).isEqualTo(reservedAfterFirst);
    }

    @Test
    void concurrentSubmissionsWithOneKeyAreAnsweredAsOneExecution() throws Exception {
        // different children, so that each would reserve: only the execution recorded first keeps its spot
        int reservedBefore = reservedOnMonday();
        int executionsBefore = executionsNamed("Diallo");
        List<String> registrations = IntStream.range(0, 8).mapToObj(i -> Registrations.successCaseForAnotherChild()).toList();

        List<HttpResponse<String>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (String registration : registrations) {
                sent.add(pool.submit(() -> postWithKey(registration, "key-raced")));
            }
            for (Future<HttpResponse<String>> answer : sent) {
                answers.add(answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(201);
        assertThat(answers).extracting(answer -> JSON.readTree(answer.body())).containsOnly(JSON.readTree(answers.get(0).body()));
        assertThat(reservedOnMonday()).isEqualTo(reservedBefore + 1);
        assertThat(executionsNamed("Diallo")).isEqualTo(executionsBefore + 1);
    }

    @Test
    void anIdempotencyKeyLongerThanTheStoreHoldsIsTheClientsError() {
        HttpResponse<String> response = postWithKey(Registrations.successCaseForAnotherChild(), "k".repeat(201));

        assertThat(response.statusCode()).isEqualTo(400);
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
