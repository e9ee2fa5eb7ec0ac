package org.daycare.registration.workflow;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.daycare.registration.rules.SpecExamples.JSON;
import static org.daycare.registration.rules.SpecExamples.TODAY_CLOCK;
import static org.daycare.registration.rules.SpecExamples.WEEKDAYS;
import static org.daycare.registration.rules.SpecExamples.json;
import static org.daycare.registration.rules.SpecExamples.registrationDocumentBornOn;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.registration.rules.AgeRange;
import org.daycare.registration.rules.FeeSchedule;
import org.daycare.registration.rules.InformationCheck;
import org.daycare.registration.rules.Registration;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.CapacityLedger.DayCapacity;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.store.JdbcExecutionStore.NewExecution;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.Ledgers;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The four tasks called directly, as the routes call them, with the spec's defaults and a pinned clock. */
@DisplayName("RegistrationStates: the four tasks")
class RegistrationStatesTest {

    private static final String SUCCESS_CASE = "2021-03-27";
    private static final String FAILURE_CASE = "2016-07-01";
    private static final String FEES = "2:800,3:750,4:700,5:650";

    private final DataSource database = Ledgers.freshH2();
    private final CapacityLedger ledger = Ledgers.on(database, WEEKDAYS.days(), 20);
    private final RegistrationStates states = statesWith(ledger, FeeSchedule.parse(FEES, 14));

    private static RegistrationStates statesWith(CapacityLedger ledger, FeeSchedule fees) {
        return new RegistrationStates(new InformationCheck(WEEKDAYS, TODAY_CLOCK), new AgeRange(2, 5), fees, ledger,
                TODAY_CLOCK);
    }

    // --- Check Information ---------------------------------------------------------------------------------

    @Test
    @DisplayName("Check Information: 200 with the bound registration for a complete document")
    void checkInformationComplete() throws Exception {
        JsonNode document = registrationDocumentBornOn(SUCCESS_CASE);

        TaskResult result = states.checkInformation(document);

        assertThat(result.statusCode()).isEqualTo(TaskResult.OK);
        assertThat(result.registration()).isEqualTo(InformationCheck.toRegistration(document));
        assertThat(result.problems()).isEmpty();
    }

    @Test
    @DisplayName("Check Information: 400 with every problem, and no registration, for an incomplete document")
    void checkInformationIncomplete() throws Exception {
        TaskResult result = states.checkInformation(json("{\"registration_info\": {\"daysOfWeek\": [\"Sunday\"]}}"));

        assertThat(result.statusCode()).isEqualTo(TaskResult.REJECTED);
        assertThat(result.registration()).isNull();
        assertThat(result.problems()).containsExactly(
                "registration_info.child: is required",
                "registration_info.parents: is required",
                "registration_info.daysOfWeek[0]: must be one of Monday, Tuesday, Wednesday, Thursday, Friday");
    }

    // --- Check Age Range -----------------------------------------------------------------------------------

    @Test
    @DisplayName("Check Age Range: 200 for the spec's success case, with child.age = 5 added")
    void checkAgeRangeAccepts() throws Exception {
        TaskResult informed = states.checkInformation(registrationDocumentBornOn(SUCCESS_CASE));

        TaskResult result = states.checkAgeRange(informed);

        assertThat(result.statusCode()).isEqualTo(TaskResult.OK);
        assertThat(result.registration()).isEqualTo(informed.registration().withAge(5));
        assertThat(result.registration().child().age()).isEqualTo(5);
    }

    @ParameterizedTest(name = "born {0}: 400, child.age = {1}")
    @DisplayName("Check Age Range: 400 for the spec's InvalidAge examples, still carrying child.age")
    @CsvSource({FAILURE_CASE + ", 10", "2024-11-26, 1", "2020-11-25, 6"})
    void checkAgeRangeRejects(String dateOfBirth, int age) throws Exception {
        TaskResult result = states.checkAgeRange(states.checkInformation(registrationDocumentBornOn(dateOfBirth)));

        assertThat(result.statusCode()).isEqualTo(TaskResult.REJECTED);
        assertThat(result.registration().child().age()).isEqualTo(age);
    }

    // --- Check Spots Availability ----------------------------------------------------------------------------

    @Test
    @DisplayName("Check Spots Availability: 200 when every requested day has a spot, without reserving any")
    void checkSpotsAvailable() throws Exception {
        TaskResult aged = agedRegistration(SUCCESS_CASE, "Monday", "Friday");

        TaskResult result = states.checkSpotsAvailability(aged, false);

        assertThat(result.statusCode()).isEqualTo(TaskResult.OK);
        assertThat(result.registration()).isEqualTo(aged.registration());
        assertThat(ledger.capacity().values()).extracting(DayCapacity::reserved).containsOnly(0);
    }

    @Test
    @DisplayName("Check Spots Availability: 400 when any one requested day is full")
    void checkSpotsOneDayFull() throws Exception {
        DataSource oneSpotDatabase = Ledgers.freshH2();
        CapacityLedger oneSpot = Ledgers.on(oneSpotDatabase, WEEKDAYS.days(), 1);
        Ledgers.reserve(oneSpot, "earlier-registration", EnumSet.of(FRIDAY));
        RegistrationStates tight = statesWith(oneSpot, FeeSchedule.parse(FEES, 14));

        TaskResult result = tight.checkSpotsAvailability(agedRegistration(SUCCESS_CASE, "Monday", "Friday"), false);

        assertThat(result.statusCode()).isEqualTo(TaskResult.REJECTED);
        assertThat(result.registration().fees()).isNull();
        assertThat(oneSpot.capacity().get(MONDAY).reserved()).isZero();
    }

    // --- Confirm Registration ------------------------------------------------------------------------------

    @ParameterizedTest(name = "born {0}: age {1}, fees {2}")
    @DisplayName("Confirm Registration: 200 with fees by age and start_date 2026-12-09 (the spec's SUCCEEDED examples)")
    @CsvSource({SUCCESS_CASE + ", 5, 650", "2023-11-25, 3, 750", "2023-11-26, 2, 800", "2021-11-25, 5, 650"})
    void confirmSetsFeesAndStartDate(String dateOfBirth, int age, int fees) throws Exception {
        TaskResult available = states.checkSpotsAvailability(agedRegistration(dateOfBirth), false);

        TaskResult result = confirm(states, database, available, "exec-1");

        assertThat(result.statusCode()).isEqualTo(TaskResult.OK);
        assertThat(result.registration()).isEqualTo(available.registration().withFeesAndStartDate(fees, "2026-12-09"));
        JsonNode output = JSON.valueToTree(result.registration());
        assertThat(output.at("/child/age").intValue()).isEqualTo(age);
        assertThat(output.get("fees").intValue()).isEqualTo(fees);
        assertThat(output.get("start_date").textValue()).isEqualTo("2026-12-09");
    }

    @Test
    @DisplayName("Confirm Registration: holds one spot on each requested day")
    void confirmHoldsSpots() throws Exception {
        TaskResult available = states.checkSpotsAvailability(agedRegistration(SUCCESS_CASE, "Monday", "Wednesday"), false);

        confirm(states, database, available, "exec-1");

        assertThat(ledger.capacity()).containsExactly(
                Map.entry(MONDAY, new DayCapacity(20, 1)),
                Map.entry(DayOfWeek.TUESDAY, new DayCapacity(20, 0)),
                Map.entry(DayOfWeek.WEDNESDAY, new DayCapacity(20, 1)),
                Map.entry(DayOfWeek.THURSDAY, new DayCapacity(20, 0)),
                Map.entry(FRIDAY, new DayCapacity(20, 0)));
    }

    @Test
    @DisplayName("Confirm Registration: 400 and no spot held when the last spot went between the check and the confirm")
    void confirmLosesLastSpot() throws Exception {
        DataSource oneSpotDatabase = Ledgers.freshH2();
        CapacityLedger oneSpot = Ledgers.on(oneSpotDatabase, WEEKDAYS.days(), 1);
        RegistrationStates tight = statesWith(oneSpot, FeeSchedule.parse(FEES, 14));
        TaskResult weekdays = tight.checkSpotsAvailability(agedRegistration(SUCCESS_CASE), false);
        TaskResult fridays = tight.checkSpotsAvailability(agedRegistration("2023-11-25", "Friday"), false);
        assertThat(weekdays.statusCode()).isEqualTo(TaskResult.OK);
        assertThat(fridays.statusCode()).isEqualTo(TaskResult.OK);

        TaskResult fridayWinner = confirm(tight, oneSpotDatabase, fridays, "exec-fridays");
        TaskResult loser = confirm(tight, oneSpotDatabase, weekdays, "exec-weekdays");

        assertThat(fridayWinner.statusCode()).isEqualTo(TaskResult.OK);
        assertThat(loser.statusCode()).isEqualTo(TaskResult.REJECTED);
        assertThat(loser.registration().child()).isEqualTo(weekdays.registration().child());
        assertThat(oneSpot.capacity()).allSatisfy((day, capacity) ->
                assertThat(capacity.reserved()).as(day.toString()).isEqualTo(day == FRIDAY ? 1 : 0));
    }

    @Test
    @DisplayName("Confirm Registration: an age without a fee fails before any spot is reserved")
    void confirmWithoutFeeReservesNothing() throws Exception {
        RegistrationStates noFeeForFive = statesWith(ledger, FeeSchedule.parse("2:800,3:750,4:700", 14));
        TaskResult available = noFeeForFive.checkSpotsAvailability(agedRegistration(SUCCESS_CASE), false);

        assertThatIllegalStateException()
                .isThrownBy(() -> confirm(noFeeForFive, database, available, "exec-1"))
                .withMessage("no fee configured for age 5");
        assertThat(ledger.capacity().values()).extracting(DayCapacity::reserved).containsOnly(0);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Confirm Registration as its route runs it, in an execution of its own: the task's pricing, then the workflow
     * engine's durable confirmation on the ledger's database (it commits when it confirms).
     */
    private static TaskResult confirm(RegistrationStates states, DataSource database, TaskResult available,
            String executionId) throws Exception {
        RunningExecution execution = new RunningExecution(new NewExecution(executionId, "test", "{}", null, null, null,
                null, null, null, Instant.EPOCH), "registration-of-" + executionId, TODAY_CLOCK);
        ObjectMapper json = new ObjectMapper();
        Executions engine = new Executions(new JdbcExecutionStore(database),
                new org.daycare.registration.store.JdbcCapacityLedger(database, json, TODAY_CLOCK), new ResultDocuments(json),
                json, TODAY_CLOCK, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), WorkflowRoutingTest.TEST_TOKENS,
                java.time.Duration.ofDays(7), java.time.Duration.ofDays(90));
        return engine.confirm(execution, states.priceRegistration(available));
    }

    /** The spec's document born on the given day (and asking for the given days, if any), through the first two states. */
    private TaskResult agedRegistration(String dateOfBirth, String... daysOfWeek) {
        ObjectNode document = registrationDocumentBornOn(dateOfBirth);
        if (daysOfWeek.length > 0) {
            ArrayNode days = ((ObjectNode) document.get("registration_info")).putArray("daysOfWeek");
            List.of(daysOfWeek).forEach(days::add);
        }
        TaskResult informed = states.checkInformation(document);
        assertThat(informed.statusCode()).as("Check Information").isEqualTo(TaskResult.OK);
        TaskResult aged = states.checkAgeRange(informed);
        assertThat(aged.statusCode()).as("Check Age Range").isEqualTo(TaskResult.OK);
        return aged;
    }
}
