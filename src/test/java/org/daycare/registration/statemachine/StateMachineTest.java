package org.daycare.registration.statemachine;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.RouteFileWithOneMoreState;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /state-machine and GET /state-machine.asl.json, read off the running routes: the default configuration's
 * machine exactly, the states that configuration switches on, a route file with one more state, and the export's
 * validity as Amazon States Language.
 */
class StateMachineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private JsonNode get(RunningApplication app, String path) throws Exception {
        HttpResponse<String> answer = app.admin(path);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        return JSON.readTree(answer.body());
    }

    private static List<String> states(JsonNode machine) {
        List<String> states = new ArrayList<>();
        machine.get("states").forEach(s -> states.add(s.get("type").asText() + " " + s.get("name").asText()));
        return states;
    }

    private static List<String> transitions(JsonNode machine) {
        List<String> transitions = new ArrayList<>();
        machine.get("transitions").forEach(t -> transitions.add(t.get("from").asText() + " -> " + t.get("to").asText()
                + (t.has("condition") ? " [" + t.get("condition").asText() + "]" : "")));
        return transitions;
    }

    @Test
    void theDefaultConfigurationIsTheOriginalMachineWithTheRouterAfterConfirmRegistration() throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir)) {
            JsonNode machine = get(app, "/state-machine");
            assertThat(machine.get("startAt").asText()).isEqualTo("Check Information");
            assertThat(states(machine)).containsExactlyInAnyOrder(
                    "task Check Information", "choice Information Check Result", "fail Notify Missing Info",
                    "task Check Age Range", "choice Age Check Result", "fail Notify Invalid Age",
                    "task Check Spots Availability", "choice Spot Availability Result", "fail Notify No Spots",
                    "task Confirm Registration", "choice Confirmation Result", "succeed Succeeded",
                    "fail Notify Already Registered");
            assertThat(transitions(machine)).containsExactlyInAnyOrder(
                    "Check Information -> Information Check Result",
                    "Information Check Result -> Check Age Range [$.statusCode == 200]",
                    "Information Check Result -> Notify Missing Info [$.statusCode == 400]",
                    "Check Age Range -> Age Check Result",
                    "Age Check Result -> Check Spots Availability [$.statusCode == 200]",
                    "Age Check Result -> Notify Invalid Age [$.statusCode == 400]",
                    "Check Spots Availability -> Spot Availability Result",
                    "Spot Availability Result -> Confirm Registration [$.statusCode == 200]",
                    "Spot Availability Result -> Notify No Spots [$.statusCode == 400]",
                    "Confirm Registration -> Confirmation Result",
                    "Confirmation Result -> Succeeded [$.statusCode == 200]",
                    "Confirmation Result -> Notify No Spots [$.statusCode == 400]",
                    "Confirmation Result -> Notify Already Registered [$.statusCode == 409]");
            JsonNode noSpots = find(machine, "Notify No Spots");
            assertThat(noSpots.get("error").asText()).isEqualTo("NoSpots");
            assertThat(noSpots.get("cause").asText()).isEqualTo("There are no spots available.");
        }
    }

    @Test
    void approvalAndTheWaitlistAddTheirWaitingStatesAndTheRoutersThatResumeThem() throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir, Map.of("daycare.approval.required", "always",
                "daycare.waitlist.enabled", "true"))) {
            JsonNode machine = get(app, "/state-machine");
            assertThat(states(machine)).contains("wait Await Approval", "choice Hold Result", "choice Approval Decision",
                    "wait Waitlisted", "choice Waitlist Join Result", "choice Waitlist Decision", "fail Cancelled",
                    "fail Notify Approval Rejected", "fail Notify Approval Timed Out")
                    .doesNotContain("choice Approval Required", "choice Waitlist Enabled");
            assertThat(transitions(machine)).contains(
                    "Spot Availability Result -> Await Approval [$.statusCode == 200]",
                    "Spot Availability Result -> Waitlisted [$.statusCode == 400]",
                    "Await Approval -> Hold Result",
                    "Hold Result -> Approval Decision [$.statusCode == 202]",
                    "Approval Decision -> Confirm Registration [$.statusCode == 200]",
                    "Approval Decision -> Notify Approval Rejected [$.statusCode == 403]",
                    "Approval Decision -> Cancelled [$.statusCode == 410]",
                    "Waitlisted -> Waitlist Join Result",
                    "Waitlist Join Result -> Waitlist Decision [$.statusCode == 202]",
                    "Waitlist Decision -> Check Spots Availability [$.statusCode == 200]",
                    "Waitlist Decision -> Notify No Spots [$.statusCode == 408]",
                    "Waitlist Decision -> Cancelled [$.statusCode == 410]",
                    "Confirmation Result -> Waitlisted [$.statusCode == 400]");
            assertValidAsl(get(app, "/state-machine.asl.json"), machine);
        }
        try (RunningApplication app = RunningApplication.start(dataDir, Map.of("daycare.approval.required",
                "with-special-instructions"))) {
            JsonNode machine = get(app, "/state-machine");
            assertThat(transitions(machine)).contains(
                    "Spot Availability Result -> Approval Required [$.statusCode == 200]",
                    "Approval Required -> Await Approval [$.body.specialInstructions is not blank]",
                    "Approval Required -> Confirm Registration");
            JsonNode asl = get(app, "/state-machine.asl.json");
            assertValidAsl(asl, machine);
            assertThat(asl.at("/States/Approval Required/Default").asText()).isEqualTo("Confirm Registration");
        }
    }

    @Test
    void aStateAddedToTheRouteFileIsInTheMachineWithoutAnyOtherChange() throws Exception {
        // the shipped route file with one more check between Check Age Range and Check Spots Availability
        Map<String, String> withCheck = RouteFileWithOneMoreState.writeTo(dataDir.resolve("routes"));
        try (RunningApplication app = RunningApplication.start(Files.createDirectories(dataDir.resolve("app")),
                withCheck)) {
            JsonNode machine = get(app, "/state-machine");
            assertThat(states(machine)).contains("task Check Vaccination", "choice Vaccination Check Result");
            assertThat(transitions(machine)).contains(
                    "Age Check Result -> Check Vaccination [$.statusCode == 200]",
                    "Check Vaccination -> Vaccination Check Result",
                    "Vaccination Check Result -> Check Spots Availability [$.statusCode == 200]",
                    "Vaccination Check Result -> Notify Invalid Age [$.statusCode == 400]")
                    .doesNotContain("Age Check Result -> Check Spots Availability [$.statusCode == 200]");
            assertValidAsl(get(app, "/state-machine.asl.json"), machine);
            // and it runs: a registration passes the new state
            HttpResponse<String> confirmed = app.postRegistration(org.daycare.registration.support.Registrations.SUCCESS_CASE);
            assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(201);
        }
    }

    @Test
    void theExportIsTheOriginalStateMachineInAmazonStatesLanguage() throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir)) {
            JsonNode machine = get(app, "/state-machine");
            JsonNode asl = get(app, "/state-machine.asl.json");
            assertValidAsl(asl, machine);
            assertThat(asl.get("StartAt").asText()).isEqualTo("Check Information");
            JsonNode states = asl.get("States");
            String[][] tasks = {{"Check Information", "Information Check Result", "Check Age Range", "Notify Missing Info"},
                    {"Check Age Range", "Age Check Result", "Check Spots Availability", "Notify Invalid Age"},
                    {"Check Spots Availability", "Spot Availability Result", "Confirm Registration", "Notify No Spots"}};
            for (String[] task : tasks) {
                assertThat(states.at("/" + task[0] + "/Type").asText()).isEqualTo("Task");
                assertThat(states.at("/" + task[0] + "/Next").asText()).isEqualTo(task[1]);
                JsonNode choice = states.get(task[1]);
                assertThat(choice.get("Type").asText()).isEqualTo("Choice");
                assertThat(choice.get("Choices")).hasSize(2);
                assertThat(choice.at("/Choices/0/Variable").asText()).isEqualTo("$.statusCode");
                assertThat(choice.at("/Choices/0/NumericEquals").asInt()).isEqualTo(200);
                assertThat(choice.at("/Choices/0/Next").asText()).isEqualTo(task[2]);
                assertThat(choice.at("/Choices/1/Variable").asText()).isEqualTo("$.statusCode");
                assertThat(choice.at("/Choices/1/NumericEquals").asInt()).isEqualTo(400);
                assertThat(choice.at("/Choices/1/Next").asText()).isEqualTo(task[3]);
            }
            assertThat(states.at("/Confirm Registration/Type").asText()).isEqualTo("Task");
            assertThat(states.at("/Confirm Registration/Next").asText()).isEqualTo("Confirmation Result");
            Map<String, String[]> fails = Map.of(
                    "Notify Missing Info", new String[] {"InformationIncomplete", "The parent did not provide complete information."},
                    "Notify Invalid Age", new String[] {"InvalidAge", "The child does not meet the age requirements."},
                    "Notify No Spots", new String[] {"NoSpots", "There are no spots available."},
                    "Notify Already Registered", new String[] {"AlreadyRegistered",
                            "This child already holds a registration; contact the daycare."});
            fails.forEach((name, errorAndCause) -> {
                assertThat(states.at("/" + name + "/Type").asText()).isEqualTo("Fail");
                assertThat(states.at("/" + name + "/Error").asText()).isEqualTo(errorAndCause[0]);
                assertThat(states.at("/" + name + "/Cause").asText()).isEqualTo(errorAndCause[1]);
            });
            assertThat(states.at("/Succeeded/Type").asText()).isEqualTo("Succeed");
            assertThat(states.size()).isEqualTo(13);
        }
    }

    @Test
    void bothEndpointsRequireTheAdminToken() throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir)) {
            for (String path : List.of("/state-machine", "/state-machine.asl.json")) {
                HttpResponse<String> anonymous = app.send(java.net.http.HttpRequest.newBuilder(app.uri(path)).GET());
                assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            }
        }
    }

    private static JsonNode find(JsonNode machine, String name) {
        for (JsonNode state : machine.get("states")) {
            if (state.get("name").asText().equals(name)) {
                return state;
            }
        }
        throw new AssertionError("no state " + name);
    }

    /**
     * Valid States Language as Step Functions checks it: one StartAt naming a state, every Next, Default and Choice
     * target a state, every state reachable from StartAt, names of at most 80 characters, each Type known with what
     * it requires, every Resource a placeholder ARN; and the same states as the model.
     */
    static void assertValidAsl(JsonNode asl, JsonNode machine) {
        assertThat(asl.get("StartAt").isTextual()).isTrue();
        JsonNode states = asl.get("States");
        assertThat(states.has(asl.get("StartAt").asText())).as("StartAt names a state").isTrue();
        Set<String> names = new HashSet<>();
        states.fieldNames().forEachRemaining(names::add);
        Set<String> modelNames = new HashSet<>();
        machine.get("states").forEach(s -> modelNames.add(s.get("name").asText()));
        assertThat(names).isEqualTo(modelNames);
        for (String name : names) {
            assertThat(name.length()).as(name).isLessThanOrEqualTo(80);
            JsonNode state = states.get(name);
            String type = state.get("Type").asText();
            assertThat(type).as(name).isIn("Task", "Choice", "Succeed", "Fail");
            for (String target : targets(state)) {
                assertThat(names).as(name + " goes to " + target).contains(target);
            }
            switch (type) {
                case "Task" -> {
                    assertThat(state.has("Next") ^ state.path("End").asBoolean(false)).as(name + ": Next or End").isTrue();
                    assertThat(state.get("Resource").asText()).startsWith("arn:aws:");
                    String arn = state.path("Parameters").path("FunctionName").asText(state.get("Resource").asText());
                    assertThat(arn).as(name).contains("REGION").contains("ACCOUNT_ID");
                }
                case "Choice" -> {
                    assertThat(state.get("Choices")).as(name).isNotEmpty();
                    assertThat(state.has("Next")).isFalse();
                }
                case "Fail" -> assertThat(state.get("Error").asText()).isNotBlank();
                default -> assertThat(state.has("Next")).isFalse();
            }
        }
        // every state reachable from StartAt
        Set<String> reached = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(List.of(asl.get("StartAt").asText()));
        while (!next.isEmpty()) {
            String name = next.pop();
            if (reached.add(name)) {
                next.addAll(targets(states.get(name)));
            }
        }
        assertThat(reached).isEqualTo(names);
    }

    private static List<String> targets(JsonNode state) {
        List<String> targets = new ArrayList<>();
        if (state.has("Next")) {
            targets.add(state.get("Next").asText());
        }
        if (state.has("Default")) {
            targets.add(state.get("Default").asText());
        }
        for (Iterator<JsonNode> it = state.path("Choices").elements(); it.hasNext(); ) {
            targets.add(it.next().get("Next").asText());
        }
        return targets;
    }
}
