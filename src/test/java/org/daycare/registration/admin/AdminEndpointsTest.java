package org.daycare.registration.admin;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading executions, their history and the capacity back over HTTP, behind the admin bearer token. */
class AdminEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningApplication app;
    static String confirmedId;
    static String rejectedId;

    @BeforeAll
    static void start() throws Exception {
        app = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", "30",
                "daycare.capacity.overrides", "Friday:3"));
        confirmedId = JSON.readTree(app.postRegistration(Registrations.SUCCESS_CASE).body()).get("executionId").asText();
        rejectedId = JSON.readTree(app.postRegistration(Registrations.FAILURE_CASE).body()).get("executionId").asText();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/executions", "/executions/x", "/executions/x/history", "/capacity"})
    void everyAdminEndpointRefusesAMissingOrWrongToken(String path) {
        HttpResponse<String> missing = app.send(HttpRequest.newBuilder(app.uri(path)).GET());
        HttpResponse<String> wrong = app.send(HttpRequest.newBuilder(app.uri(path))
                .header("Authorization", "Bearer " + RunningApplication.ADMIN_TOKEN + "x").GET());
        HttpResponse<String> notBearer = app.send(HttpRequest.newBuilder(app.uri(path))
                .header("Authorization", "Basic " + RunningApplication.ADMIN_TOKEN).GET());

        for (HttpResponse<String> refused : List.of(missing, wrong, notBearer)) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
    }

    @Test
    void everyAdminAnswerCarriesCacheControlNoStoreRefusalsIncluded() {
        record Answer(String what, int expectedStatus, HttpResponse<String> response) {
        }
        List<Answer> answers = new ArrayList<>();
        for (String path : List.of("/executions", "/executions/" + confirmedId, "/executions/" + confirmedId + "/history",
                "/capacity")) {
            answers.add(new Answer(path, 200, app.admin(path)));
            answers.add(new Answer(path + " without a token", 401, app.send(HttpRequest.newBuilder(app.uri(path)).GET())));
            answers.add(new Answer(path + " with a wrong token", 401, app.send(HttpRequest.newBuilder(app.uri(path))
                    .header("Authorization", "Bearer " + RunningApplication.ADMIN_TOKEN + "x").GET())));
        }
        answers.add(new Answer("an unknown execution", 404, app.admin("/executions/no-such-execution")));
        answers.add(new Answer("an unknown execution's history", 404, app.admin("/executions/no-such-execution/history")));
        answers.add(new Answer("a bad query", 400, app.admin("/executions?limit=0")));

        for (Answer answer : answers) {
            assertThat(answer.response().statusCode()).as(answer.what()).isEqualTo(answer.expectedStatus());
            assertThat(answer.response().headers().allValues("Cache-Control")).as(answer.what()).containsExactly("no-store");
        }
    }

    @Test
    void anExecutionIsReadBackWithItsInputAndResult() throws Exception {
        HttpResponse<String> response = app.admin("/executions/" + confirmedId);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode execution = JSON.readTree(response.body());
        assertThat(execution.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(execution.get("source").asText()).isEqualTo("http");
        assertThat(execution.get("input")).isEqualTo(JSON.readTree(Registrations.SUCCESS_CASE));
        assertThat(execution.at("/result/output/fees").asInt()).isEqualTo(650);
        assertThat(execution.get("startedAt").asText()).isNotBlank();
        assertThat(execution.get("stoppedAt").asText()).isNotBlank();
    }

    @Test
    void anUnknownExecutionIs404() {
        assertThat(app.admin("/executions/no-such-execution").statusCode()).isEqualTo(404);
        assertThat(app.admin("/executions/no-such-execution/history").statusCode()).isEqualTo(404);
    }

    @Test
    void theHistoryListsEveryStateEnteredAndLeftInOrder() throws Exception {
        JsonNode confirmed = JSON.readTree(app.admin("/executions/" + confirmedId + "/history").body()).get("events");
        JsonNode rejected = JSON.readTree(app.admin("/executions/" + rejectedId + "/history").body()).get("events");

        assertThat(describe(confirmed)).containsExactly(
                "ENTERED Check Information", "EXITED Check Information 200",
                "ENTERED Check Age Range", "EXITED Check Age Range 200",
                "ENTERED Check Spots Availability", "EXITED Check Spots Availability 200",
                "ENTERED Confirm Registration", "EXITED Confirm Registration 200",
                "ENTERED Succeeded");
        assertThat(describe(rejected)).containsExactly(
                "ENTERED Check Information", "EXITED Check Information 200",
                "ENTERED Check Age Range", "EXITED Check Age Range 400",
                "ENTERED Notify Invalid Age");
        assertThat(confirmed.get(0).get("timestamp").asText()).isNotBlank();
    }

    @Test
    void executionsAreListedNewestFirstFilteredAndPaged() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(0, JSON.readTree(app.postRegistration(Registrations.forChildBornOn("2015-01-0" + (i + 1))).body())
                    .get("executionId").asText());
        }
        List<String> listed = new ArrayList<>();
        String path = "/executions?status=FAILED&limit=2";
        for (int page = 0; page < 10 && path != null; page++) {
            JsonNode answer = JSON.readTree(app.admin(path).body());
            answer.get("executions").forEach(e -> {
                assertThat(e.get("status").asText()).isEqualTo("FAILED");
                listed.add(e.get("executionId").asText());
            });
            path = answer.has("nextToken") ? "/executions?status=FAILED&limit=2&nextToken=" + answer.get("nextToken").asText() : null;
        }

        assertThat(listed).startsWith(ids.toArray(String[]::new)).contains(rejectedId).doesNotContain(confirmedId);
        assertThat(listed).doesNotHaveDuplicates();
    }

    @Test
    void executionsCanBeSearchedByChildLastNameAndParentEmailWhatEverTheCase() throws Exception {
        JsonNode byName = JSON.readTree(app.admin("/executions?childLastName=DIALLO&limit=200").body());
        JsonNode byEmail = JSON.readTree(app.admin("/executions?parentEmail=Ibrahim.Diallo@example.com&limit=200").body());
        JsonNode nobody = JSON.readTree(app.admin("/executions?childLastName=Nobody").body());

        assertThat(byName.get("executions").findValuesAsText("executionId")).contains(confirmedId, rejectedId);
        assertThat(byEmail.get("executions").findValuesAsText("executionId")).contains(confirmedId, rejectedId);
        assertThat(nobody.get("executions")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"status=DONE", "limit=0", "limit=201", "limit=ten", "nextToken=not-a-token"})
    void aBadQueryIs400(String query) {
        assertThat(app.admin("/executions?" + query).statusCode()).isEqualTo(400);
    }

    @Test
    void capacityShowsTotalReservedAndFreePerOpeningDay() throws Exception {
        JsonNode days = JSON.readTree(app.admin("/capacity").body()).get("days");

        assertThat(days.findValuesAsText("day")).containsExactly("Monday", "Tuesday", "Wednesday", "Thursday", "Friday");
        JsonNode friday = days.get(4);
        assertThat(friday.get("total").asInt()).isEqualTo(3);
        assertThat(friday.get("reserved").asInt()).isEqualTo(1);
        assertThat(friday.get("free").asInt()).isEqualTo(2);
        assertThat(days.get(0).get("total").asInt()).isEqualTo(30);
    }

    private static List<String> describe(JsonNode events) {
        List<String> described = new ArrayList<>();
        events.forEach(e -> described.add(e.get("type").asText() + " " + e.get("state").asText()
                + (e.has("statusCode") ? " " + e.get("statusCode").asInt() : "")));
        return described;
    }
}
