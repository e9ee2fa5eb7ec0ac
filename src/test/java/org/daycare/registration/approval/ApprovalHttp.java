package org.daycare.registration.approval;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the approval tests do over HTTP to one running application: the director's decisions and the office's
 * cancellation (admin token), the family's status link and cancellation (status token), and what they read back:
 * spots, history, notifications from the local notifications log.
 */
final class ApprovalHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final RunningApplication app;

    ApprovalHttp(RunningApplication app) {
        this.app = app;
    }

    /** The success case for a child of its own, its registration_info edited (days, special instructions). */
    static String registration(Consumer<ObjectNode> editInfo) {
        try {
            ObjectNode document = (ObjectNode) JSON.readTree(Registrations.successCaseForAnotherChild());
            editInfo.accept((ObjectNode) document.get("registration_info"));
            return JSON.writeValueAsString(document);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }

    HttpResponse<String> submit(String body) {
        return app.postRegistration(body);
    }

    /** POST /executions/{id}/approve|reject|cancel with the admin token. */
    HttpResponse<String> decide(String executionId, String action, String body) {
        return app.send(HttpRequest.newBuilder(app.uri("/executions/" + executionId + "/" + action))
                .header("Authorization", "Bearer " + RunningApplication.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** GET /registrations/{id}, the status link; a null bearer sends no Authorization header. */
    HttpResponse<String> status(String executionId, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/registrations/" + executionId)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return app.send(request);
    }

    /** The registration as its status link shows it now (which must open). */
    JsonNode statusOf(String executionId, String token) {
        HttpResponse<String> response = status(executionId, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** POST /registrations/{id}/cancel, the family's cancellation through its status link. */
    HttpResponse<String> cancel(String executionId, String token) {
        return app.send(HttpRequest.newBuilder(app.uri("/registrations/" + executionId + "/cancel"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The spots reserved (confirmed or held) on an opening day, from GET /capacity. */
    int reservedOn(String day) {
        for (JsonNode each : json(app.admin("/capacity")).get("days")) {
            if (each.get("day").asText().equalsIgnoreCase(day)) {
                return each.get("reserved").asInt();
            }
        }
        throw new AssertionError("no opening day " + day);
    }

    /** The ids GET /approvals lists. */
    List<String> awaitingApproval() {
        List<String> ids = new ArrayList<>();
        json(app.admin("/approvals")).get("approvals").forEach(item -> ids.add(item.get("executionId").asText()));
        return ids;
    }

    /** The execution's history, each event as "TYPE State [statusCode] [detail]". */
    List<String> historyOf(String executionId) {
        HttpResponse<String> response = app.admin("/executions/" + executionId + "/history");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        for (JsonNode event : json(response).get("events")) {
            events.add(event.get("type").asText() + " " + event.get("state").asText()
                    + (event.has("statusCode") ? " " + event.get("statusCode").asInt() : "")
                    + (event.hasNonNull("detail") ? " " + event.get("detail").asText() : ""));
        }
        return events;
    }

    /** This execution's notifications from the local notifications log, in order, once there are at least {@code expected}. */
    List<JsonNode> notificationsOf(String executionId, int expected) {
        Path log = app.dataDir().resolve("notifications/outcomes.jsonl");
        List<JsonNode> found = new ArrayList<>();
        // a line being appended may be read half-written: read again
        await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(JsonProcessingException.class).until(() -> {
            found.clear();
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    JsonNode notification = JSON.readTree(line);
                    if (notification.at("/attributes/executionId").asText().equals(executionId)) {
                        found.add(notification);
                    }
                }
            }
            return found.size() >= expected;
        });
        return found;
    }
}
