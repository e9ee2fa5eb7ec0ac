package org.daycare.registration.workflow;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;






import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.AdviceWith;
import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.Race;
import org.daycare.registration.support.PostgresServer.PostgresDatabase;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many registrations racing over HTTP for fewer spots, on the embedded H2 and on PostgreSQL: exactly the capacity
 * is confirmed, the rest get NoSpots. Confirm Registration is delayed by 100 ms so that the checks go stale, and
 * each round (a day of its own) must show the contended path: a registration that passed Check Spots Availability
 * and lost the last spot in Confirm Registration (the conditional update, not the check, prevents overbooking).
 */
class NoOverbookingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CAPACITY = 5;
    private static final int REQUESTS = 40;
    private static final List<String> DAYS = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday");

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void concurrentRegistrationsNeverTakeMoreThanTheCapacity(String database) throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir, settings(database))) {
            // Widen the window between the availability check and the confirmation, so that the racers' checks all
            // see free spots (a stale check) and the conditional update alone must keep the day from overbooking.
            // Without it a fast machine may finish the winners before the others check, and test nothing.
            AdviceWith.adviceWith(app.context(), "confirm-registration", route -> route.weaveAddFirst().delay(100));
            int lostInConfirm = 0;
            for (int round = 0; round < DAYS.size() && lostInConfirm == 0; round++) {
                String day = DAYS.get(round);
                List<HttpResponse<String>> answers = race(app, day);

                List<HttpResponse<String>> confirmed = answers.stream().filter(a -> a.statusCode() == 201).toList();
                List<HttpResponse<String>> noSpots = answers.stream()
                        .filter(a -> a.statusCode() == 422 && a.body().contains("\"error\":\"NoSpots\"")).toList();
                assertThat(confirmed).as(day).hasSize(CAPACITY);
                assertThat(noSpots).as(day).hasSize(REQUESTS - CAPACITY);
                assertThat(JSON.readTree(app.admin("/capacity").body()).get("days").get(round).get("reserved").asInt())
                        .as(day).isEqualTo(CAPACITY);
                for (HttpResponse<String> refused : noSpots) {
                    if (exitedConfirmRegistrationWith400(app, JSON.readTree(refused.body()).get("executionId").asText())) {
                        lostInConfirm++;
                    }
                }
            }
            assertThat(lostInConfirm).as("a registration passed the availability check and lost in Confirm Registration")
                    .isPositive();
        }
    }

    private Map<String, String> settings(String database) {
        if (database.equals("H2")) {
            return Map.of("daycare.capacity.per-day", String.valueOf(CAPACITY));
        }
        PostgresDatabase postgres = PostgresServer.freshDatabase();
        return Map.of("daycare.capacity.per-day", String.valueOf(CAPACITY), "daycare.db.url", postgres.jdbcUrl(),
                "daycare.db.user", postgres.user(), "daycare.db.password", postgres.password());
    }

    /** REQUESTS registrations of distinct children for the one day, released together by a barrier. */
    private static List<HttpResponse<String>> race(RunningApplication app, String day) throws Exception {
        return Race.of(REQUESTS, () -> app.postRegistration(Registrations.successCaseForAnotherChild()
                .replace("[\"Monday\", \"Tuesday\", \"Wednesday\", \"Thursday\", \"Friday\"]", "[\"" + day + "\"]")));
    }

    private static boolean exitedConfirmRegistrationWith400(RunningApplication app, String executionId) throws Exception {
        for (JsonNode event : JSON.readTree(app.admin("/executions/" + executionId + "/history").body()).get("events")) {
            if (event.get("state").asText().equals("Confirm Registration") && event.get("type").asText().equals("EXITED")
                    && event.path("statusCode").asInt() == 400) {
                return true;
            }
        }
        return false;
    }
}
