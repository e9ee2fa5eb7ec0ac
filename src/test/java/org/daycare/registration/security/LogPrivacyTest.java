package org.daycare.registration.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole log of a full run at the default level holds no personal data: every name, e-mail address, phone
 * number and date of birth submitted (confirmed, rejected, incomplete, malformed, over HTTP and by file) is
 * searched for in it, and none may appear; nor may the admin token or a wrong one presented. Execution ids do.
 */
class LogPrivacyTest {

    private static final String CHILD_FIRST = "Zephyrine";
    private static final String CHILD_LAST = "Quillonbrae";
    private static final String PARENT_FIRST = "Ottoline";
    private static final String EMAIL = "ottoline.quillonbrae@example.org";
    private static final String PHONE = "555-0199-7731";
    private static final String BORN = "2022-04-17";
    private static final String TOO_OLD = "2015-09-03";
    private static final String WRONG_TOKEN = "guessed-token-4711";

    @TempDir
    Path dataDir;

    @Test
    void noNameEmailPhoneOrDateOfBirthReachesTheLog() throws Exception {
        Path log = Path.of("target/log-privacy-run.log");
        String confirmed = registration(CHILD_FIRST, BORN);
        String tooOld = registration(CHILD_FIRST + "a", TOO_OLD);
        String incomplete = registration(CHILD_FIRST + "b", "2022-02-30").replace("\"daysOfWeek\": [\"Monday\"]", "\"daysOfWeek\": [\"Sunday\"]");
        String malformed = registration(CHILD_FIRST + "c", BORN).substring(0, 120);
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));

        try (ApplicationProcess app = ApplicationProcess.start(dataDir, log, Map.of())) {
            for (String body : List.of(confirmed, confirmed, tooOld, incomplete, malformed)) {
                assertThat(app.post(body)).isPresent();
            }
            assertThat(app.get("/executions?childLastName=" + CHILD_LAST, RunningApplication.ADMIN_TOKEN)).isEqualTo(200);
            assertThat(app.get("/capacity", WRONG_TOKEN)).isEqualTo(401);
            Files.writeString(inbox.resolve(CHILD_LAST.toLowerCase() + "-copy.json"), registration(CHILD_FIRST + "d", BORN));
            Files.writeString(inbox.resolve("broken.json"), malformed);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dataDir.resolve("outbox/broken.result.json"))
                    && Files.exists(dataDir.resolve("outbox/" + CHILD_LAST.toLowerCase() + "-copy.result.json")));
            // the local notifications log is written in the background: wait for it, it must not echo into the log
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dataDir.resolve("notifications/outcomes.jsonl")));
        }

        String written = Files.readString(log);
        assertThat(written).contains("ended: SUCCEEDED").contains("ended: FAILED InvalidAge");
        assertThat(written).as("tokens are never logged")
                .doesNotContain(RunningApplication.ADMIN_TOKEN).doesNotContain(WRONG_TOKEN);
        for (String personal : List.of(CHILD_FIRST, CHILD_LAST, PARENT_FIRST, EMAIL, PHONE, BORN, TOO_OLD, "2022-02-30")) {
            assertThat(written).as("the log must not contain %s", personal).doesNotContainIgnoringCase(personal);
        }
    }

    private static String registration(String childFirstName, String dateOfBirth) {
        return """
                {"registration_info": {
                  "child": {"firstName": "%s", "lastName": "%s", "dateOfBirth": "%s"},
                  "parents": {"mother": {"firstName": "%s", "lastName": "%s", "email": "%s", "phone": "%s"}},
                  "daysOfWeek": ["Monday"],
                  "specialInstructions": "Allergic to %s"}}
                """.formatted(childFirstName, CHILD_LAST, dateOfBirth, PARENT_FIRST, CHILD_LAST, EMAIL, PHONE, CHILD_FIRST);
    }
}
