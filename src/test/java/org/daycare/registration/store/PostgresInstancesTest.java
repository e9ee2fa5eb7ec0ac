package org.daycare.registration.store;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.PostgresServer;
import org.daycare.registration.support.PostgresServer.PostgresDatabase;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application on a real PostgreSQL: the whole workflow, and two instances (two Camel contexts, each with its
 * own pool and HTTP server) sharing one database while many registrations race for fewer spots.
 */
class PostgresInstancesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path firstDataDir;
    @TempDir
    Path secondDataDir;

    private static Map<String, String> on(PostgresDatabase database, String capacity) {
        return Map.of("daycare.db.url", database.jdbcUrl(), "daycare.db.user", database.user(),
                "daycare.db.password", database.password(), "daycare.capacity.per-day", capacity);
    }

    @Test
    void executionsHistoryIdempotencyAndCapacityWorkOnPostgresql() throws Exception {
        PostgresDatabase database = PostgresServer.freshDatabase();
        try (RunningApplication app = RunningApplication.start(firstDataDir, on(database, "20"))) {
            HttpResponse<String> confirmed = app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", "pg-1")
                    .POST(HttpRequest.BodyPublishers.ofString(Registrations.SUCCESS_CASE)));
            HttpResponse<String> repeated = app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", "pg-1")
                    .POST(HttpRequest.BodyPublishers.ofString(Registrations.SUCCESS_CASE)));
            HttpResponse<String> rejected = app.postRegistration(Registrations.FAILURE_CASE);
            String confirmedId = JSON.readTree(confirmed.body()).get("executionId").asText();

            assertThat(confirmed.statusCode()).isEqualTo(201);
            assertThat(repeated.statusCode()).isEqualTo(201);
            assertThat(JSON.readTree(repeated.body())).isEqualTo(JSON.readTree(confirmed.body()));
            assertThat(rejected.statusCode()).isEqualTo(422);
            assertThat(app.postRegistration(Registrations.SUCCESS_CASE).statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(app.admin("/executions/" + confirmedId + "/history").body()).get("events")).hasSize(9);
            assertThat(JSON.readTree(app.admin("/executions?status=FAILED").body()).get("executions")).hasSize(1);
            assertThat(JSON.readTree(app.admin("/executions?parentEmail=AICHA.CISSE@example.com").body()).get("executions"))
                    .hasSize(2);
            assertThat(JSON.readTree(app.admin("/capacity").body()).get("days").get(0).get("reserved").asInt()).isEqualTo(1);
        }
    }

    @Test
    void twoInstancesOnOnePostgresqlNeverOverbook() throws Exception {
        int capacity = 7;
        int requests = 40;
        PostgresDatabase database = PostgresServer.freshDatabase();
        try (RunningApplication first = RunningApplication.start(firstDataDir, on(database, String.valueOf(capacity)));
             RunningApplication second = RunningApplication.start(secondDataDir, on(database, String.valueOf(capacity)))) {
            ExecutorService clients = Executors.newFixedThreadPool(requests);
            CountDownLatch startGate = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                RunningApplication instance = i % 2 == 0 ? first : second;
                String registration = Registrations.successCaseForAnotherChild();
                answers.add(clients.submit(() -> {
                    startGate.await();
                    return instance.postRegistration(registration);
                }));
            }
            startGate.countDown();

            int confirmed = 0;
            int noSpots = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(120, TimeUnit.SECONDS);
                JsonNode result = JSON.readTree(response.body());
                if (response.statusCode() == 201) {
                    confirmed++;
                } else if (response.statusCode() == 422 && "NoSpots".equals(result.path("error").asText())) {
                    noSpots++;
                }
            }
            clients.shutdown();

            assertThat(confirmed).isEqualTo(capacity);
            assertThat(noSpots).isEqualTo(requests - capacity);
            JsonNode days = JSON.readTree(first.admin("/capacity").body()).get("days");
            days.forEach(day -> assertThat(day.get("reserved").asInt()).isEqualTo(capacity));
        }
    }
}
