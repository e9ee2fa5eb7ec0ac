package org.daycare.registration.intake;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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

/** POST /registrations end to end, through the embedded HTTP server on a random loopback port. */
class HttpIntakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningApplication app;

    @BeforeAll
    static void start() {
        // Capacity high enough that the tests in this class never compete for spots.
        app = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", "1000"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aCompleteRegistrationForAFiveYearOldIsConfirmedWithFeesAndStartDate() throws Exception {
        HttpResponse<String> response = app.postRegistration(Registrations.SUCCESS_CASE);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.get("executionId").asText()).isNotBlank();
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode expectedOutput = JSON.readTree(Registrations.SUCCESS_CASE).get("registration_info").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) expectedOutput.get("child")).put("age", 5);
        ((com.fasterxml.jackson.databind.node.ObjectNode) expectedOutput).put("fees", 650).put("start_date", "2026-12-09");
        assertThat(result.get("output")).isEqualTo(expectedOutput);
        assertThat(result.has("error")).isFalse();
    }

    @Test
    void theSpecsFailureCaseEndsInInvalidAge() throws Exception {
        HttpResponse<String> response = app.postRegistration(Registrations.FAILURE_CASE);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.get("status").asText()).isEqualTo("FAILED");
        assertThat(result.get("error").asText()).isEqualTo("InvalidAge");
        assertThat(result.get("cause").asText()).isEqualTo("The child does not meet the age requirements.");
        assertThat(result.get("executionId").asText()).isNotBlank();
        assertThat(result.has("output")).isFalse();
    }

    @Test
    void anIncompleteRegistrationListsEveryProblemWithItsPath() throws Exception {
        String incomplete = """
                {"registration_info": {
                   "child": {"firstName": "Mohamed", "dateOfBirth": "2021-02-30"},
                   "parents": {"mother": {"firstName": "Aicha", "lastName": "Cisse"}},
                   "daysOfWeek": ["Monday", "Saturday"]}}
                """;

        HttpResponse<String> response = app.postRegistration(incomplete);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.get("error").asText()).isEqualTo("InformationIncomplete");
        assertThat(result.get("cause").asText()).isEqualTo("The parent did not provide complete information.");
        assertThat(result.get("problems")).extracting(JsonNode::asText).containsExactly(
                "registration_info.child.lastName: is required",
                "registration_info.child.dateOfBirth: must be a date in YYYY-MM-DD form",
                "registration_info.parents.mother: must give an email or a phone",
                "registration_info.daysOfWeek[1]: must be one of Monday, Tuesday, Wednesday, Thursday, Friday");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1, 2]", "\"a string\"", "42", "null", "{\"a\": 1", "{\"a\": 1, \"a\": 2}", "{} {}"})
    void aBodyThatIsNotOneJsonObjectIsMalformedAndStartsNoExecution(String body) throws Exception {
        HttpResponse<String> response = app.postRegistration(body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.get("error").asText()).isEqualTo("MalformedRequest");
        assertThat(result.get("cause").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.has("executionId")).isFalse();
    }

    @Test
    void anEmptyBodyIsMalformed() throws Exception {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("MalformedRequest");
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedWith413() {
        String oversized = "{\"padding\": \"" + "x".repeat(70_000) + "\"}";

        assertThat(app.postRegistration(oversized).statusCode()).isEqualTo(413);
    }

    @Test
    void jsonNestedDeeperThanTheLimitIsMalformed() throws Exception {
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);

        HttpResponse<String> response = app.postRegistration(deep);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("cause").asText()).contains("nesting depth");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml"})
    void aContentTypeThatIsNotJsonIsRefusedWith415(String contentType) throws Exception {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(Registrations.successCaseForAnotherChild())));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("UnsupportedMediaType");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-8", "application/JSON", "application/vnd.daycare+json"})
    void jsonMediaTypesWithOrWithoutParametersAreAccepted(String contentType) {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(Registrations.successCaseForAnotherChild())));

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void aRequestWithoutContentTypeIsAccepted() {
        // java.net.http sends no Content-Type unless told to.
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .POST(HttpRequest.BodyPublishers.ofString(Registrations.successCaseForAnotherChild())));

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsAreRefusedWith405(String method) {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .method(method, HttpRequest.BodyPublishers.ofString(Registrations.SUCCESS_CASE)));

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void noRequestOrInternalHeaderIsEchoedBack() {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .header("Content-Type", "application/json")
                .header("X-Parent-Secret", "do-not-echo")
                .header("Authorization", "Bearer do-not-echo")
                .POST(HttpRequest.BodyPublishers.ofString(Registrations.FAILURE_CASE)));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().map().keySet())
                .allSatisfy(name -> assertThat(name.toLowerCase()).isIn(":status", "content-type", "content-length"));
    }
}
