package org.daycare.registration.store;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.FauxqsServer;
import org.daycare.registration.support.ReceivedNotification;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Executions, history and capacity survive a stop, and a kill, of the application on the same data. */
class RestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    /** Each bean is made once: a configuration processed twice used to open a second pool and never close it. */
    @Test
    void theApplicationOpensOneConnectionPoolAndClosesItWhenStopped() {
        // by identity: pools of earlier tests in this JVM may still be closing, and must not count
        java.util.Set<Thread> before = poolHousekeepers();
        java.util.Set<Thread> opened;
        try (RunningApplication app = RunningApplication.start(dataDir)) {
            opened = poolHousekeepers();
            opened.removeAll(before);
            assertThat(opened).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> opened.stream().noneMatch(Thread::isAlive));
    }

    private static java.util.Set<Thread> poolHousekeepers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("daycare-db:housekeeper"))
                .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    @Test
    void executionsHistoryAndCapacityAreThereAfterARestart() throws Exception {
        String confirmedId;
        String rejectedId;
        String registration = Registrations.successCaseForAnotherChild();
        try (RunningApplication first = RunningApplication.start(dataDir)) {
            confirmedId = JSON.readTree(first.postRegistration(registration).body()).get("executionId").asText();
            rejectedId = JSON.readTree(first.postRegistration(Registrations.FAILURE_CASE).body()).get("executionId").asText();
        }

        try (RunningApplication second = RunningApplication.start(dataDir)) {
            assertThat(JSON.readTree(second.admin("/executions/" + confirmedId).body()).get("status").asText())
                    .isEqualTo("SUCCEEDED");
            assertThat(JSON.readTree(second.admin("/executions/" + rejectedId).body()).get("error").asText())
                    .isEqualTo("InvalidAge");
            assertThat(JSON.readTree(second.admin("/executions/" + confirmedId + "/history").body()).get("events"))
                    .hasSize(9);
            assertThat(JSON.readTree(second.admin("/capacity").body()).get("days").get(0).get("reserved").asInt())
                    .isEqualTo(1);
            // the spot is still held by the same child: asking again returns the first confirmation
            HttpResponse<String> again = second.postRegistration(registration);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(again.body()).get("executionId").asText()).isEqualTo(confirmedId);
        }
    }

    @Test
    void notificationsPendingAtAStopArriveExactlyOnceAfterTheRestart() throws Exception {
        try (FauxqsServer sns = FauxqsServer.start("restart-outcomes")) {
            Map<String, String> toSns = Map.of("daycare.sns.topic-arn", sns.topicArn(), "daycare.sns.endpoint", sns.endpoint(),
                    "daycare.sns.access-key", FauxqsServer.ACCESS_KEY, "daycare.sns.secret-key", FauxqsServer.SECRET_KEY,
                    "daycare.sns.timeout-ms", "1000", "daycare.notify.poll-ms", "100");
            List<String> executionIds = new ArrayList<>();
            sns.stopProcess();
            try (RunningApplication first = RunningApplication.start(dataDir, toSns)) {
                for (int i = 0; i < 3; i++) {
                    executionIds.add(JSON.readTree(first.postRegistration(Registrations.successCaseForAnotherChild()).body())
                            .get("executionId").asText());
                }
            }
            sns.startProcess();

            try (RunningApplication second = RunningApplication.start(dataDir, toSns)) {
                List<ReceivedNotification> received = sns.receive(3, Duration.ofSeconds(30));
                received = new ArrayList<>(received);
                received.addAll(sns.receive(0, Duration.ofSeconds(2)));

                assertThat(received).extracting(n -> n.attributes().get("executionId"))
                        .containsExactlyInAnyOrderElementsOf(executionIds);
            }
        }
    }

    @Test
    void afterAKillEveryExecutionIsClosedAndEverySpotBelongsToAConfirmedOne() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<String> confirmedBeforeTheKill = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ApplicationProcess killed = ApplicationProcess.start(dataDir, Path.of("target/restart-test-killed-jvm.log"),
                Map.of("daycare.capacity.per-day", "1000"))) {
            for (int i = 0; i < 200; i++) {
                clients.submit(() -> killed.confirmationOf(Registrations.successCaseForAnotherChild())
                        .ifPresent(confirmedBeforeTheKill::add));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> confirmedBeforeTheKill.size() >= 20);
            killed.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } finally {
            clients.shutdownNow();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }

        try (RunningApplication restarted = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", "1000"))) {
            int succeeded = count(restarted, "SELECT COUNT(*) FROM executions WHERE status = 'SUCCEEDED'");
            int finished = count(restarted, "SELECT COUNT(*) FROM executions");
            System.out.printf("killed after %d confirmations answered: %d executions, %d succeeded%n",
                    confirmedBeforeTheKill.size(), finished, succeeded);
            // every confirmation a client was given is there: nothing committed was lost with the process
            for (String executionId : List.copyOf(confirmedBeforeTheKill)) {
                var stored = restarted.admin("/executions/" + executionId);
                assertThat(stored.statusCode()).as("execution %s was answered 201 before the kill, but is not stored",
                        executionId).isEqualTo(200);
                assertThat(JSON.readTree(stored.body()).get("status").asText()).isEqualTo("SUCCEEDED");
            }
            assertThat(succeeded).isGreaterThanOrEqualTo(confirmedBeforeTheKill.size());
            assertThat(count(restarted, "SELECT COUNT(*) FROM confirmed_registrations")).isEqualTo(succeeded);
            assertThat(count(restarted, "SELECT MAX(reserved_spots) FROM day_capacity")).isEqualTo(succeeded);
            assertThat(count(restarted, "SELECT MIN(reserved_spots) FROM day_capacity")).isEqualTo(succeeded);
            assertThat(count(restarted, "SELECT COUNT(*) FROM notification_outbox")).isEqualTo(finished);
            // each request was a different child with spots to spare: an execution cut off by the kill left nothing
            assertThat(count(restarted, "SELECT COUNT(*) FROM executions WHERE status <> 'SUCCEEDED'")).isZero();
        }
    }

    private static int count(RunningApplication app, String sql) throws Exception {
        javax.sql.DataSource dataSource = app.context().getRegistry().lookupByNameAndType("dataSource", javax.sql.DataSource.class);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }
}
