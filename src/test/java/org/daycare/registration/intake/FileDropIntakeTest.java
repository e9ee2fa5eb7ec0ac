package org.daycare.registration.intake;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The file drop end to end, through real inbox, outbox, archive and failed directories. */
class FileDropIntakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static RunningApplication app;
    static Path inbox;
    static Path outbox;

    @BeforeAll
    static void start() throws IOException {
        app = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", "1000",
                // long enough that a file being written in two steps is seen growing
                "daycare.inbox.min-age", "1500", "daycare.inbox.check-interval", "400"));
        inbox = Files.createDirectories(dataDir.resolve("inbox"));
        outbox = dataDir.resolve("outbox");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aDroppedRegistrationGetsTheSameResultDocumentAsOverHttpAndIsArchived() throws Exception {
        drop("mohamed.json", Registrations.SUCCESS_CASE);

        JsonNode result = awaitResult("mohamed.result.json");

        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.at("/output/fees").asInt()).isEqualTo(650);
        assertThat(result.at("/output/start_date").asText()).isEqualTo("2026-12-09");
        assertThat(result.at("/output/child/age").asInt()).isEqualTo(5);
        assertLeftInboxFor("archive", "mohamed");
    }

    @Test
    void aWorkflowFailureIsArchivedToo() throws Exception {
        drop("too-old.json", Registrations.FAILURE_CASE);

        JsonNode result = awaitResult("too-old.result.json");

        assertThat(result.get("error").asText()).isEqualTo("InvalidAge");
        assertLeftInboxFor("archive", "too-old");
    }

    @Test
    void aMalformedFileGetsTheMalformedRequestDocumentAndGoesToTheFailedFolder() throws Exception {
        drop("broken.json", "{\"registration_info\": [");

        JsonNode result = awaitResult("broken.result.json");

        assertThat(result.get("error").asText()).isEqualTo("MalformedRequest");
        assertThat(result.has("executionId")).isFalse();
        assertLeftInboxFor("failed", "broken");
    }

    @Test
    void filesThatAreNotJsonAreLeftAlone() throws Exception {
        drop("notes.txt", "not a registration");
        drop("later.json.tmp", Registrations.SUCCESS_CASE);
        drop("marker.json", Registrations.successCaseForAnotherChild());

        awaitResult("marker.result.json");

        assertThat(inbox.resolve("notes.txt")).exists();
        assertThat(inbox.resolve("later.json.tmp")).exists();
        assertThat(outbox.resolve("later.result.json")).doesNotExist();
    }

    @Test
    void aFileStillBeingWrittenIsNotPickedUpHalfWritten() throws Exception {
        Path file = inbox.resolve("slow-writer.json");
        byte[] content = Registrations.successCaseForAnotherChild().getBytes(StandardCharsets.UTF_8);
        int half = content.length / 2;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(content, 0, half);
            out.flush();
            // Keep writing while the consumer polls: it must wait until the file stops changing.
            Thread.sleep(800);
            out.write(content, half, content.length - half);
        }

        JsonNode result = awaitResult("slow-writer.result.json");

        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void theSameRegistrationDroppedTwiceUnderAnyNameGetsTheFirstConfirmationAndBothOriginalsAreKept() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        drop("first-copy.json", registration);
        JsonNode first = awaitResult("first-copy.result.json");

        drop("second copy.json", registration);
        JsonNode second = awaitResult("second copy.result.json");

        assertThat(first.get("status").asText()).isEqualTo("SUCCEEDED");
        // the same confirmation; the status token only in the first execution's own answer
        assertThat(first.has("statusToken")).isTrue();
        assertThat(second.has("statusToken")).isFalse();
        ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("statusToken");
        assertThat(second).isEqualTo(first);
        assertLeftInboxFor("archive", "first-copy");
        assertLeftInboxFor("archive", "second copy");
    }

    /** A drop's lock in the database is released once it is answered, so the same name is taken again later. */
    @Test
    void theSameNameDroppedAgainAfterItsAnswerIsTakenAgain() throws Exception {
        drop("again.json", Registrations.successCaseForAnotherChild());
        JsonNode first = awaitResult("again.result.json");
        assertLeftInboxFor("archive", "again");

        drop("again.json", Registrations.successCaseForAnotherChild());
        Path result = outbox.resolve("again.result.json");
        await().atMost(Duration.ofSeconds(20)).until(() -> archived("archive", "again").size() == 2);

        JsonNode second = JSON.readTree(result.toFile());
        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.get("executionId")).isNotEqualTo(first.get("executionId"));
        assertThat(inbox.resolve("again.json")).doesNotExist();
    }

    @Test
    void anotherDocumentDroppedForARegisteredChildEndsAlreadyRegisteredWithNothingOfTheFirst() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        String child = JSON.readTree(registration).at("/registration_info/child/firstName").asText();
        drop("family.json", registration);
        JsonNode first = awaitResult("family.result.json");
        String other = """
                {"registration_info": {
                  "child": {"firstName": "%s", "lastName": "Diallo", "dateOfBirth": "2021-03-27"},
                  "parents": {"father": {"firstName": "Eve", "lastName": "Stranger", "phone": "555-0100"}},
                  "daysOfWeek": ["Friday"]}}""".formatted(child);

        drop("other.json", other);
        JsonNode refused = awaitResult("other.result.json");

        assertThat(first.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(refused.get("status").asText()).isEqualTo("FAILED");
        assertThat(refused.get("error").asText()).isEqualTo("AlreadyRegistered");
        String text = JSON.writeValueAsString(refused);
        assertThat(text).doesNotContain(first.get("executionId").asText())
                .doesNotContain("aicha.cisse@example.com").doesNotContain("123-456-7890").doesNotContain("peanut")
                .doesNotContain("Monday");
        assertLeftInboxFor("archive", "other");
    }

    private static void drop(String name, String content) throws IOException {
        // Write beside the inbox, then move in: how a well-behaved producer drops a file.
        Path staged = Files.writeString(dataDir.resolve(name + ".staging"), content);
        Files.move(staged, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonNode awaitResult(String name) throws IOException {
        Path result = outbox.resolve(name);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(result));
        return JSON.readTree(result.toFile());
    }

    private static void assertLeftInboxFor(String folder, String baseName) throws IOException {
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(inbox.resolve(baseName + ".json")));
        assertThat(archived(folder, baseName)).hasSize(1);
    }

    private static List<Path> archived(String folder, String baseName) throws IOException {
        Path dir = dataDir.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(baseName + ".")).toList();
        }
    }
}
