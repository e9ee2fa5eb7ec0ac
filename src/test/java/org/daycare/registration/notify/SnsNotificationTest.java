package org.daycare.registration.notify;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.component.aws2.sns.Sns2Endpoint;
import org.daycare.registration.support.FauxqsServer;
import org.daycare.registration.support.ReceivedNotification;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Outcome notifications against a real SNS-compatible server (fauxqs, on loopback), read back from an SQS
 * queue subscribed to the topic: body, subject and exactly the three message attributes.
 */
class SnsNotificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static FauxqsServer sns;
    static RunningApplication app;

    @BeforeAll
    static void start() {
        sns = FauxqsServer.start("registration-outcomes");
        app = RunningApplication.start(dataDir, settings(sns.topicArn()));
    }

    private static Map<String, String> settings(String topic) {
        return Map.of(
                "daycare.capacity.per-day", "1000",
                "daycare.sns.topic-arn", topic,
                "daycare.sns.endpoint", sns.endpoint(),
                "daycare.sns.region", FauxqsServer.REGION,
                "daycare.sns.access-key", FauxqsServer.ACCESS_KEY,
                "daycare.sns.secret-key", FauxqsServer.SECRET_KEY,
                "daycare.sns.timeout-ms", "2000",
                "daycare.notify.retry-base-ms", "250", "daycare.notify.poll-ms", "100");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (sns != null) {
            sns.close();
        }
    }

    @BeforeEach
    void emptyQueue() {
        sns.purgeQueue();
    }

    @Test
    void aRegistrationAwaitingApprovalIsAnnouncedToStaffThenItsConfirmation(@TempDir Path approvalData) throws Exception {
        java.util.Map<String, String> approval = new java.util.HashMap<>(settings(sns.topicArn()));
        approval.put("daycare.approval.required", "always");
        try (RunningApplication director = RunningApplication.start(approvalData, approval)) {
            HttpResponse<String> waiting = director.postRegistration(Registrations.successCaseForAnotherChild());
            assertThat(waiting.statusCode()).isEqualTo(202);
            String executionId = JSON.readTree(waiting.body()).get("executionId").asText();

            List<ReceivedNotification> requested = sns.receive(1, WAIT);
            assertThat(requested).hasSize(1);
            assertThat(requested.get(0).subject()).isEqualTo("Approval requested");
            assertThat(requested.get(0).attributes())
                    .isEqualTo(Map.of("outcome", "APPROVAL_REQUESTED", "executionId", executionId));
            JsonNode registration = JSON.readTree(requested.get(0).message());
            assertThat(registration.at("/child/lastName").asText()).as("the registration, for the director").isEqualTo("Diallo");
            assertThat(requested.get(0).message()).doesNotContain("statusToken");

            HttpResponse<String> approved = director.send(java.net.http.HttpRequest.newBuilder(
                    director.uri("/executions/" + executionId + "/approve"))
                    .header("Authorization", "Bearer " + RunningApplication.ADMIN_TOKEN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(approved.statusCode()).isEqualTo(200);

            List<ReceivedNotification> confirmed = sns.receive(1, WAIT);
            assertThat(confirmed).hasSize(1);
            assertThat(confirmed.get(0).subject()).isEqualTo("Registration confirmed");
            assertThat(confirmed.get(0).attributes()).isEqualTo(Map.of("outcome", "SUCCEEDED", "executionId", executionId));
            assertThat(JSON.readTree(confirmed.get(0).message())).isEqualTo(JSON.readTree(approved.body()));
        }
    }

    @Test
    void aConfirmedRegistrationIsAnnouncedWithOutcomeAndExecutionIdOnly() throws Exception {
        HttpResponse<String> response = postWithExtraHeaders(Registrations.successCaseForAnotherChild());
        String executionId = JSON.readTree(response.body()).get("executionId").asText();

        List<ReceivedNotification> received = sns.receive(1, WAIT);

        assertThat(received).hasSize(1);
        ReceivedNotification notification = received.get(0);
        assertThat(notification.subject()).isEqualTo("Registration confirmed");
        assertThat(notification.attributes()).isEqualTo(Map.of("outcome", "SUCCEEDED", "executionId", executionId));
        // the answer, but for the status token: the family's only, never announced
        assertThat(JSON.readTree(notification.message())).isEqualTo(withoutStatusToken(JSON.readTree(response.body())));
        assertThat(notificationIds(executionId)).containsExactly(executionId + "_SUCCEEDED");
    }

    @Test
    void aRejectedRegistrationIsAnnouncedWithItsError() throws Exception {
        HttpResponse<String> response = postWithExtraHeaders(Registrations.FAILURE_CASE);
        JsonNode result = JSON.readTree(response.body());

        List<ReceivedNotification> received = sns.receive(1, WAIT);

        assertThat(received).hasSize(1);
        ReceivedNotification notification = received.get(0);
        assertThat(notification.subject()).isEqualTo("Registration rejected: InvalidAge");
        assertThat(notification.attributes()).isEqualTo(Map.of(
                "outcome", "FAILED", "executionId", result.get("executionId").asText(), "error", "InvalidAge"));
        assertThat(JSON.readTree(notification.message())).isEqualTo(withoutStatusToken(result));
        assertThat(notificationIds(result.get("executionId").asText()))
                .containsExactly(result.get("executionId").asText() + "_FAILED");
    }

    @Test
    void aMalformedRequestIsNotAnnounced() {
        assertThat(app.postRegistration("[not, an, object]").statusCode()).isEqualTo(400);

        assertThat(sns.receive(0, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void registrationsGoOnWhileSnsIsDownAndTheirNotificationsArriveOnceItIsBack() throws Exception {
        sns.stopProcess();
        String executionId;
        try {
            HttpResponse<String> response = app.postRegistration(Registrations.successCaseForAnotherChild());
            assertThat(response.statusCode()).isEqualTo(201);
            executionId = JSON.readTree(response.body()).get("executionId").asText();
        } finally {
            sns.startProcess();
        }

        List<ReceivedNotification> received = sns.receive(1, WAIT);

        assertThat(received).extracting(n -> n.attributes().get("executionId")).containsExactly(executionId);
    }

    @Test
    void theAws2SnsEndpointUsesTheOneSnsClientBeanWhichIsClosedAtShutdown(@TempDir Path otherDataDir) {
        SnsClient client;
        try (RunningApplication other = RunningApplication.start(otherDataDir, settings(sns.topicArn()))) {
            client = other.context().getRegistry().lookupByNameAndType("snsClient", SnsClient.class);
            assertThat(other.context().getRegistry().findByType(SnsClient.class)).containsExactly(client);
            Sns2Endpoint endpoint = other.context().getEndpoints().stream().filter(Sns2Endpoint.class::isInstance)
                    .map(Sns2Endpoint.class::cast).findFirst().orElseThrow();
            assertThat(endpoint.getSNSClient()).isSameAs(client);
            assertThat(endpoint.getConfiguration().isBatchEnabled()).isTrue();
            assertThat(client.getTopicAttributes(r -> r.topicArn(sns.topicArn())).attributes()).isNotEmpty();
        }

        // closed: its call-timeout scheduler is shut down, so it refuses every call (the same call that just worked)
        assertThatThrownBy(() -> client.getTopicAttributes(r -> r.topicArn(sns.topicArn())))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("Terminated");
    }

    @Test
    void aTopicNameInsteadOfAnArnStopsStartUp(@TempDir Path otherDataDir) {
        // with a name, the endpoint would list the topics at start-up: an SNS that is down would stop the application
        assertThatThrownBy(() -> RunningApplication.start(otherDataDir, settings("registration-outcomes")))
                .rootCause().hasMessageContaining("daycare.sns.topic-arn must be a topic ARN");
    }

    /** The outbox keys of the execution's notifications, as the execution store wrote them. */
    private static List<String> notificationIds(String executionId) throws SQLException {
        DataSource dataSource = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT notification_id FROM notification_outbox WHERE execution_id = ?")) {
            statement.setString(1, executionId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    /** Request headers must not become message attributes (the SNS component turns String headers into them). */
    private static HttpResponse<String> postWithExtraHeaders(String body) {
        return app.send(HttpRequest.newBuilder(app.uri("/registrations"))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "leak-check")
                .header("Authorization", "Bearer leak-check")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode withoutStatusToken(JsonNode answer) {
        assertThat(answer.has("statusToken")).as("the answer carries the status token").isTrue();
        com.fasterxml.jackson.databind.node.ObjectNode announced = answer.deepCopy();
        announced.remove("statusToken");
        return announced;
    }
}
