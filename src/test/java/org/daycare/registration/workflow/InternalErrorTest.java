package org.daycare.registration.workflow;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.builder.AdviceWith;
import org.daycare.registration.support.CapturedLog;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's 500: a defect of ours, here Confirm Registration throwing before it confirmed, in the whole
 * running application. The execution still ends, FAILED with InternalError: answered 500 with the error document and
 * nothing of the defect (no stack trace, no exception class, no message), recorded with its history, notified, and
 * holding no spot; the log names the execution and the exception's class only.
 */
class InternalErrorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A defect's message may quote what it was working on, personal data included. */
    private static final String DEFECT = "confirmation broke for Mohamed Diallo, born 2021-03-27";

    @TempDir
    Path dataDir;

    @Test
    void aDefectOfOursEndsTheExecutionFailedWithInternalErrorAnswered500RecordedAndNotified() throws Exception {
        try (CapturedLog log = CapturedLog.start(); RunningApplication app = RunningApplication.start(dataDir)) {
            AdviceWith.adviceWith(app.context(), "confirm-registration", route -> route
                    .weaveByToString(".*priceRegistration.*").after()
                    .throwException(new IllegalStateException(DEFECT)));

            HttpResponse<String> answer = app.postRegistration(Registrations.SUCCESS_CASE);

            assertThat(answer.statusCode()).isEqualTo(500);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.get("status").asText()).isEqualTo("FAILED");
            assertThat(body.get("error").asText()).isEqualTo("InternalError");
            assertThat(body.get("cause").asText()).isEqualTo(WorkflowError.InternalError.cause());
            String executionId = body.get("executionId").asText();
            assertThat(executionId).matches("[0-9a-f-]{36}");
            assertThat(answer.body()).as("nothing of the defect is answered")
                    .doesNotContain("IllegalStateException").doesNotContain("Exception").doesNotContain("java.")
                    .doesNotContain("\tat ").doesNotContain("Mohamed Diallo").doesNotContain("confirmation broke");

            // recorded, with the history up to the state that broke and the failure end
            HttpResponse<String> read = app.admin("/executions/" + executionId);
            assertThat(read.statusCode()).as("the execution is recorded").isEqualTo(200);
            JsonNode recorded = JSON.readTree(read.body());
            assertThat(recorded.get("status").asText()).isEqualTo("FAILED");
            assertThat(recorded.get("error").asText()).isEqualTo("InternalError");
            assertThat(recorded.at("/result/error").asText()).isEqualTo("InternalError");
            JsonNode events = JSON.readTree(app.admin("/executions/" + executionId + "/history").body()).get("events");
            JsonNode last = events.get(events.size() - 1);
            assertThat(last.get("type").asText() + " " + last.get("state").asText()).isEqualTo("ENTERED Internal Error");

            // nothing was confirmed, no spot is held
            JsonNode days = JSON.readTree(app.admin("/capacity").body()).get("days");
            assertThat(days.findValues("reserved")).isNotEmpty().allSatisfy(reserved -> assertThat(reserved.asInt()).isZero());

            // notified
            Path notifications = dataDir.resolve("notifications/outcomes.jsonl");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(notifications)
                    && Files.readString(notifications).contains(executionId));
            JsonNode notification = Files.readAllLines(notifications).stream().map(InternalErrorTest::json)
                    .filter(line -> line.at("/attributes/executionId").asText().equals(executionId))
                    .findFirst().orElseThrow();
            assertThat(notification.get("subject").asText()).isEqualTo("Registration rejected: InternalError");
            assertThat(notification.at("/attributes/outcome").asText()).isEqualTo("FAILED");
            assertThat(notification.at("/attributes/error").asText()).isEqualTo("InternalError");

            // logged: the execution and the exception's class, at ERROR; nothing of its message, no stack trace
            List<ILoggingEvent> logged = log.events();
            assertThat(logged).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).contains(executionId).contains("java.lang.IllegalStateException");
            });
            assertThat(log.text()).doesNotContain("confirmation broke").doesNotContain("Mohamed").doesNotContain("\tat ");
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
