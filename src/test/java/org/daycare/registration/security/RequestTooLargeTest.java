package org.daycare.registration.security;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.RawUpload;
import org.daycare.registration.support.RawUpload.Framing;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A body over daycare.http.max-body-bytes gets the RequestTooLarge document, however it is framed and however far
 * over it is: from the HTTP server itself, which stops reading it, with no header but Content-Type and
 * Content-Length; and a dropped file over the limit gets the same document without being read.
 */
class RequestTooLargeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BODY_BYTES = 65_536;
    /** The document the registration route answers for a body over the limit. */
    private static final String TOO_LARGE = "{\"error\":\"RequestTooLarge\",\"cause\":\"The body exceeds the limit of 65536 bytes.\"}";
    /** Far more than the server's allowance after the answer (2 MiB) and the socket buffers between client and server. */
    private static final long SIXTY_FOUR_MEBIBYTES = 64L * 1024 * 1024;

    @TempDir
    static Path dataDir;
    static RunningApplication app;

    @BeforeAll
    static void start() {
        app = RunningApplication.start(dataDir, Map.of("daycare.http.max-body-bytes", String.valueOf(MAX_BODY_BYTES)));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void oneByteOverTheLimitGetsTheDocumentWithOnlyContentTypeAndLength(Framing framing) throws Exception {
        assertTheDocument(upload(framing, MAX_BODY_BYTES + 1));
    }

    /**
     * A body a little too large (here by 1 MiB, within the server's 2 MiB allowance) is discarded whole after the
     * answer, so that the client's connection stays usable: the answer carries no Connection header, and a client
     * may send its next request on it.
     */
    @ParameterizedTest
    @EnumSource(Framing.class)
    void aBodyALittleTooLargeLeavesTheConnectionUsable(Framing framing) throws Exception {
        long size = MAX_BODY_BYTES + 1024 * 1024;
        RawUpload.Outcome outcome = new RawUpload(app.uri("/").getPort(), "/registrations", framing, size,
                Duration.ofSeconds(30)).sendThenGet("/observe/health");

        assertTheDocument(outcome);
        assertThat(outcome.bytesWritten()).as(outcome.toString()).isEqualTo(size);
        // any answer shows the connection still served; health itself may be DOWN this early (no poll yet)
        assertThat(outcome.followUp()).as(outcome.toString()).isNotNull();
        assertThat(outcome.followUp().answered()).as(outcome.toString()).isTrue();
    }

    /** The server answers, takes a bounded rest of the body, and closes: the sender is cut off far before its end. */
    @ParameterizedTest
    @EnumSource(Framing.class)
    void aBodyFarOverTheLimitIsAnsweredAndNotReadToItsEnd(Framing framing) throws Exception {
        RawUpload.Outcome outcome = upload(framing, SIXTY_FOUR_MEBIBYTES);

        assertTheDocument(outcome);
        assertThat(outcome.bytesWritten()).as(outcome.toString()).isLessThan(SIXTY_FOUR_MEBIBYTES / 4);
        assertThat(outcome.detail()).as(outcome.toString()).contains("writing stopped");
    }

    @Test
    void aBodyAtTheLimitIsRead() throws Exception {
        RawUpload.Outcome outcome = upload(Framing.CHUNKED, MAX_BODY_BYTES);

        // read whole and parsed: the padding never ends its string, so the route finds it malformed
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(400);
        assertThat(JSON.readTree(outcome.body()).get("error").asText()).isEqualTo("MalformedRequest");
    }

    /**
     * A sparse file of 3 GiB: more than a Java array holds, so reading it into memory cannot even be tried; it
     * gets the same document, and the original is moved to failed/ untouched.
     */
    @Test
    void aDroppedFileOverTheLimitIsRefusedWithoutBeingRead() throws Exception {
        long threeGibibytes = 3L * 1024 * 1024 * 1024;
        Path staged = dataDir.resolve("staging.tmp");
        try (RandomAccessFile file = new RandomAccessFile(staged.toFile(), "rw")) {
            file.write("{\"padding\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            file.setLength(threeGibibytes);
        }
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        Files.move(staged, inbox.resolve("huge.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        Path result = dataDir.resolve("outbox").resolve("huge.result.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(result));

        assertThat(JSON.readTree(result.toFile())).isEqualTo(JSON.readTree(TOO_LARGE));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(inbox.resolve("huge.json")));
        List<Path> kept = listed(dataDir.resolve("failed"));
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0).getFileName().toString()).startsWith("huge.");
        assertThat(Files.size(kept.get(0))).isEqualTo(threeGibibytes);
    }

    private static RawUpload.Outcome upload(Framing framing, long bodyBytes) throws Exception {
        return new RawUpload(app.uri("/").getPort(), "/registrations", framing, bodyBytes, Duration.ofSeconds(30)).send();
    }

    private static void assertTheDocument(RawUpload.Outcome outcome) throws IOException {
        assertThat(outcome.answered()).as(outcome.toString()).isTrue();
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(413);
        assertThat(outcome.headerNames()).as(outcome.toString()).containsExactlyInAnyOrder("content-type", "content-length");
        assertThat(outcome.header("Content-Type")).isEqualTo("application/json");
        JsonNode document = JSON.readTree(outcome.body());
        assertThat(document).isEqualTo(JSON.readTree(TOO_LARGE));
    }

    private static List<Path> listed(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
