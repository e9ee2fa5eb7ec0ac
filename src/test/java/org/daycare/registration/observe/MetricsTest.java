package org.daycare.registration.observe;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.SoftAssertions;
import org.daycare.registration.support.PrometheusScrape;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /observe/metrics of the running application, scraped over HTTP before and after a known set of submissions: every
 * counter moves by exactly what those submissions did, the gauges say what the database holds.
 *
 * <p>SNS is configured at a loopback port nobody listens on, so every notification fails its first publication and
 * stays pending; the retry is ten minutes away, so each fails exactly once within the test.
 */
class MetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALL_DAYS = "[\"Monday\", \"Tuesday\", \"Wednesday\", \"Thursday\", \"Friday\"]";

    @TempDir
    Path dataDir;

    @Test
    void countersMoveByWhatTheSubmissionsDidAndGaugesSayWhatTheDatabaseHolds() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("daycare.capacity.overrides", "Friday:2"); // the third confirmation for every day finds Friday full
        settings.put("daycare.sns.topic-arn", "arn:aws:sns:us-east-1:000000000000:registration-outcomes");
        settings.put("daycare.sns.endpoint", "http://127.0.0.1:" + closedPort());
        settings.put("daycare.sns.access-key", "test");
        settings.put("daycare.sns.secret-key", "test");
        settings.put("daycare.sns.timeout-ms", "2000");
        settings.put("daycare.notify.poll-ms", "100");
        settings.put("daycare.notify.retry-base-ms", "600000");
        settings.put("daycare.notify.retry-max-ms", "600000");
        try (RunningApplication app = RunningApplication.start(dataDir, settings)) {
            PrometheusScrape before = scrape(app);
            Instant firstSubmission = Instant.now();

            String first = Registrations.successCaseForAnotherChild();
            assertThat(status(app, first)).isEqualTo(201);
            assertThat(status(app, Registrations.successCaseForAnotherChild())).isEqualTo(201);
            assertThat(error(app, Registrations.successCaseForAnotherChild())).isEqualTo("NoSpots");
            assertThat(error(app, Registrations.FAILURE_CASE)).isEqualTo("InvalidAge");
            assertThat(error(app, Registrations.forChildBornOn("2016-08-01"))).isEqualTo("InvalidAge");
            assertThat(error(app, Registrations.SUCCESS_CASE.replace("\"lastName\": \"Diallo\", \"dateOfBirth\"", "\"dateOfBirth\"")))
                    .isEqualTo("InformationIncomplete");
            assertThat(error(app, first.replace(ALL_DAYS, "[\"Monday\"]"))).isEqualTo("AlreadyRegistered");
            // no execution: a repeated submission answered from the store, and a malformed body
            assertThat(status(app, first)).isEqualTo(200);
            assertThat(status(app, "{\"registration_info\": ")).isEqualTo(400);
            int posts = 9;
            int executions = 7;

            // each notification fails once: the drainer had its chance at every one of them
            await().atMost(Duration.ofSeconds(60)).until(() -> delta(before, scrape(app),
                    "daycare_notifications_publish_failures_total") >= executions);
            JsonNode capacity = JSON.readTree(app.admin("/capacity").body()).get("days");
            PrometheusScrape after = scrape(app);
            Duration sinceFirstSubmission = Duration.between(firstSubmission, Instant.now());

            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(delta(before, after, "daycare_executions_total", "status", "SUCCEEDED", "error", "none"))
                    .as("SUCCEEDED").isEqualTo(2);
            soft.assertThat(delta(before, after, "daycare_executions_total", "status", "FAILED", "error", "NoSpots"))
                    .as("NoSpots").isEqualTo(1);
            soft.assertThat(delta(before, after, "daycare_executions_total", "status", "FAILED", "error", "InvalidAge"))
                    .as("InvalidAge").isEqualTo(2);
            soft.assertThat(delta(before, after, "daycare_executions_total", "status", "FAILED", "error", "InformationIncomplete"))
                    .as("InformationIncomplete").isEqualTo(1);
            soft.assertThat(delta(before, after, "daycare_executions_total", "status", "FAILED", "error", "AlreadyRegistered"))
                    .as("AlreadyRegistered").isEqualTo(1);
            soft.assertThat(delta(before, after, "daycare_executions_total", "status", "FAILED", "error", "InternalError"))
                    .as("InternalError").isEqualTo(0);
            soft.assertThat(after.matching("daycare_executions_total").stream().mapToDouble(PrometheusScrape.Sample::value).sum())
                    .as("executions counted in all").isEqualTo(executions);

            soft.assertThat(delta(before, after, "daycare_execution_duration_seconds_count", "status", "SUCCEEDED"))
                    .as("durations of successes").isEqualTo(2);
            soft.assertThat(delta(before, after, "daycare_execution_duration_seconds_count", "status", "FAILED"))
                    .as("durations of failures").isEqualTo(5);
            soft.assertThat(delta(before, after, "daycare_execution_duration_seconds_bucket", "status", "FAILED", "le", "+Inf"))
                    .as("the +Inf bucket holds every failure").isEqualTo(5);
            soft.assertThat(after.value("daycare_execution_duration_seconds_sum", "status", "SUCCEEDED"))
                    .as("time taken by the successes").isPositive()
                    .isLessThanOrEqualTo(sinceFirstSubmission.toMillis() / 1000.0);

            for (JsonNode day : capacity) {
                String name = day.get("day").asText();
                soft.assertThat(after.value("daycare_spots_capacity", "day", name)).as("capacity of " + name)
                        .isEqualTo(day.get("total").asDouble());
                soft.assertThat(after.value("daycare_spots_reserved", "day", name)).as("reserved on " + name)
                        .isEqualTo(day.get("reserved").asDouble());
            }
            soft.assertThat(capacity).as("/capacity's days").hasSize(5);
            soft.assertThat(after.value("daycare_spots_reserved", "day", "Friday")).as("Friday, full").isEqualTo(2);
            soft.assertThat(after.value("daycare_spots_capacity", "day", "Friday")).as("Friday's capacity").isEqualTo(2);

            soft.assertThat(after.value("daycare_notifications_pending")).as("pending: every execution's notification")
                    .isEqualTo(executions);
            soft.assertThat(after.value("daycare_notifications_oldest_pending_age_seconds")).as("the oldest waits")
                    .isPositive().isLessThanOrEqualTo(sinceFirstSubmission.toMillis() / 1000.0);
            soft.assertThat(delta(before, after, "daycare_notifications_publish_failures_total"))
                    .as("one failure per notification, each tried once").isEqualTo(executions);

            soft.assertThat(delta(before, after, "camel_exchanges_total", "routeId", "http-intake"))
                    .as("Camel's route metrics: exchanges of the HTTP route").isEqualTo(posts);
            // Camel makes a route's timer on its first exchange
            soft.assertThat(before.matching("camel_route_policy_seconds_count", "routeId", "check-information"))
                    .as("Check Information's timer before any execution").isEmpty();
            soft.assertThat(after.value("camel_route_policy_seconds_count", "routeId", "check-information"))
                    .as("Camel's route timing of Check Information: once per execution").isEqualTo(executions);

            for (String personal : new String[] {"Mohamed", "Diallo", "Cisse", "example.com", "123-456-7890", "2021-03-27"}) {
                soft.assertThat(after.text()).as("no personal data in the scrape").doesNotContain(personal);
            }
            soft.assertAll();
        }
    }

    private static PrometheusScrape scrape(RunningApplication app) {
        HttpResponse<String> response = app.send(HttpRequest.newBuilder(app.uri("/observe/metrics")).GET());
        assertThat(response.statusCode()).as("GET /observe/metrics").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return PrometheusScrape.of(response.body());
    }

    /** How much a series moved between two scrapes (it must be in both, once). */
    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static int status(RunningApplication app, String body) {
        return app.postRegistration(body).statusCode();
    }

    private static String error(RunningApplication app, String body) throws Exception {
        HttpResponse<String> response = app.postRegistration(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        return JSON.readTree(response.body()).get("error").asText();
    }

    /** A loopback port nobody listens on: publishing there is refused at once. */
    private static int closedPort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
