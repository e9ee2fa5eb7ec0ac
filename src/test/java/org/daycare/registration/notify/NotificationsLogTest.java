package org.daycare.registration.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The embedded default: with no SNS topic configured, every outcome is appended to a local notifications log. */
class NotificationsLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void everyExecutionOutcomeIsAppendedAsOneJsonLineWithSubjectAttributesAndMessage() throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir)) {
            JsonNode confirmed = JSON.readTree(app.postRegistration(Registrations.SUCCESS_CASE).body());
            JsonNode rejected = JSON.readTree(app.postRegistration(Registrations.FAILURE_CASE).body());
            app.postRegistration("[]");

            Path log = dataDir.resolve("notifications/outcomes.jsonl");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(log) && Files.readAllLines(log).size() >= 2);
            List<JsonNode> lines = Files.readAllLines(log).stream().map(NotificationsLogTest::parse).toList();

            assertThat(lines).hasSize(2);
            JsonNode first = lines.stream().filter(l -> l.at("/message/executionId").equals(confirmed.get("executionId"))).findFirst().orElseThrow();
            assertThat(first.get("subject").asText()).isEqualTo("Registration confirmed");
            assertThat(JSON.convertValue(first.get("attributes"), Map.class))
                    .isEqualTo(Map.of("outcome", "SUCCEEDED", "executionId", confirmed.get("executionId").asText()));
            // the answer, but for the status token: the family's only, never announced
            com.fasterxml.jackson.databind.node.ObjectNode announced = confirmed.deepCopy();
            assertThat(announced.remove("statusToken")).as("the answer carries the status token").isNotNull();
            assertThat(first.get("message")).isEqualTo(announced);
            JsonNode second = lines.stream().filter(l -> l.at("/message/executionId").equals(rejected.get("executionId"))).findFirst().orElseThrow();
            assertThat(second.get("subject").asText()).isEqualTo("Registration rejected: InvalidAge");
            assertThat(JSON.convertValue(second.get("attributes"), Map.class)).isEqualTo(Map.of(
                    "outcome", "FAILED", "executionId", rejected.get("executionId").asText(), "error", "InvalidAge"));
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
