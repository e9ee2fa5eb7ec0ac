package org.daycare.registration.observe;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.PrometheusScrape;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.daycare.registration.support.StandalonePostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health as Kubernetes reads it, with the application on a PostgreSQL that is stopped and started again under it:
 * readiness goes DOWN (503) while the database is unreachable and UP again once it is back; liveness stays UP all
 * along (it holds none of the database, route or consumer checks); and a scrape still answers.
 */
class HealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;
    @TempDir
    Path postgresDir;

    @Test
    void readinessFollowsTheDatabaseWhileLivenessStaysUp() throws Exception {
        try (StandalonePostgres postgres = StandalonePostgres.start(postgresDir);
             RunningApplication app = RunningApplication.start(dataDir, postgres.settings())) {
            assertThat(get(app, "/observe/health/live").statusCode()).isEqualTo(200);
            // the file drop's consumer check is DOWN until its first poll
            await().atMost(Duration.ofSeconds(30)).until(() -> get(app, "/observe/health/ready").statusCode() == 200);
            assertThat(checks(get(app, "/observe/health/ready?exposureLevel=full"))).as("readiness checks")
                    .containsEntry("database", "UP").containsKey("consumer:file-drop-intake");
            assertThat(checks(get(app, "/observe/health/live?exposureLevel=full")).keySet()).as("liveness checks")
                    .isNotEmpty().noneMatch(name -> name.equals("database") || name.startsWith("consumer:") || name.startsWith("route:"));
            assertThat(app.postRegistration(Registrations.successCaseForAnotherChild()).statusCode()).isEqualTo(201);

            postgres.stop();
            // a dropped file meets the outage too, so that the file drop's consumer has its chance to fail
            Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
            Files.writeString(dataDir.resolve("waiting.json.tmp"), Registrations.successCaseForAnotherChild());
            Files.move(dataDir.resolve("waiting.json.tmp"), inbox.resolve("waiting.json"));

            await().atMost(Duration.ofSeconds(30)).until(() -> get(app, "/observe/health/ready").statusCode() == 503);
            HttpResponse<String> ready = get(app, "/observe/health/ready?exposureLevel=full");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(checks(ready).get("database")).isEqualTo("DOWN");
            assertThat(ready.body()).as("no error detail in a public answer").doesNotContain("Exception").doesNotContain("jdbc:");
            HttpResponse<String> refused = app.postRegistration(Registrations.successCaseForAnotherChild());
            assertThat(refused.statusCode()).as("the application meets the outage").isEqualTo(503);
            HttpResponse<String> live = get(app, "/observe/health/live");
            assertThat(live.statusCode()).as("liveness during the outage: " + live.body()).isEqualTo(200);
            assertThat(JSON.readTree(live.body()).get("status").asText()).isEqualTo("UP");

            HttpResponse<String> metrics = get(app, "/observe/metrics");
            assertThat(metrics.statusCode()).as("a scrape during the outage").isEqualTo(200);
            PrometheusScrape scrape = PrometheusScrape.of(metrics.body());
            assertThat(scrape.value("daycare_notifications_pending")).as("unknown while the database is away").isNaN();
            assertThat(scrape.value("daycare_spots_reserved", "day", "Monday")).isNaN();
            assertThat(scrape.value("daycare_executions_total", "status", "SUCCEEDED", "error", "none")).isEqualTo(1);
            assertThat(scrape.matching("camel_exchanges_total", "routeId", "http-intake")).hasSize(1);
            assertThat(get(app, "/observe/health/live").statusCode()).as("liveness, still during the outage").isEqualTo(200);
            assertThat(inbox.resolve("waiting.json")).as("the outage lasted through all this").exists();

            postgres.restart();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(app, "/observe/health/ready").statusCode() == 200);
            assertThat(checks(get(app, "/observe/health/ready?exposureLevel=full")).get("database")).isEqualTo("UP");
            assertThat(get(app, "/observe/health/live").statusCode()).isEqualTo(200);
            assertThat(app.postRegistration(Registrations.successCaseForAnotherChild()).statusCode()).isEqualTo(201);
        }
    }

    private static HttpResponse<String> get(RunningApplication app, String path) {
        return app.send(HttpRequest.newBuilder(app.uri(path)).GET());
    }

    /** Check name to state, from an answer at exposureLevel=full. */
    private static java.util.Map<String, String> checks(HttpResponse<String> response) throws Exception {
        java.util.Map<String, String> states = new java.util.LinkedHashMap<>();
        for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
            states.put(check.get("name").asText(), check.get("status").asText());
        }
        return states;
    }
}
