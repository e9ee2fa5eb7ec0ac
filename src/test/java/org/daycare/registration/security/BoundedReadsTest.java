package org.daycare.registration.security;

import java.io.IOException;
import java.io.Reader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.RawUpload;
import org.daycare.registration.support.RawUpload.Ending;
import org.daycare.registration.support.RawUpload.Framing;
import org.daycare.registration.support.Registrations;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13's attack, repeated: fifty concurrent uploads, each between daycare.http.max-body-bytes and the old 16 MiB
 * read limit, half with a Content-Length and half chunked, against the service in a JVM of its own started with
 * config/jvm.options (a 256 MB heap). Buffered whole, they need about 800 MB. Each client must get the 413 document
 * or have its connection closed, never wait in vain; the log must hold no OutOfMemoryError; and the service must
 * confirm a valid registration right after.
 */
class BoundedReadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UPLOADS = 50;
    private static final long OLD_READ_LIMIT = 16L * 1024 * 1024;
    /** As long as the issue's clients waited for an answer. */
    private static final Duration NO_ANSWER_AFTER = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void fiftyConcurrentOversizedUploadsAreRefusedWithoutExhaustingTheHeap() throws Exception {
        long maxBodyBytes = Long.parseLong(configured("daycare.http.max-body-bytes"));
        Path log = dataDir.resolve("application.log");
        // PrintCommandLineFlags: the log shows the heap the JVM really got from the argument file
        try (ApplicationProcess app = ApplicationProcess.start(dataDir, log, Map.of(),
                List.of("@" + ApplicationProcess.PRODUCTION_JVM_OPTIONS, "-XX:+PrintCommandLineFlags"))) {
            assertThat(Files.readString(log)).as("the JVM options of config/jvm.options were in force")
                    .contains("-XX:MaxHeapSize=" + productionMaxHeapBytes()).contains("-XX:+UseSerialGC");

            List<RawUpload.Outcome> outcomes = uploadAllAtOnce(app.port(), maxBodyBytes);

            List<String> notRefused = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                RawUpload.Outcome outcome = outcomes.get(i);
                boolean refused = outcome.ending() == Ending.CLOSED || (outcome.answered() && outcome.status() == 413
                        && isTheTooLargeDocument(outcome.body(), maxBodyBytes));
                if (!refused) {
                    notRefused.add("upload " + i + " (" + framingOf(i) + ", " + sizeOf(i) + " bytes): " + outcome);
                }
            }
            long answered = outcomes.stream().filter(RawUpload.Outcome::answered).count();
            System.out.printf("BOUNDED READS: %d of %d uploads answered 413, %d closed%n", answered, UPLOADS,
                    outcomes.stream().filter(outcome -> outcome.ending() == Ending.CLOSED).count());
            Optional<HttpResponse<String>> afterwards = app.post(Registrations.SUCCESS_CASE);
            String written = Files.readString(log);

            // all three reported together: against a server that buffers, each fails in its own way
            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(notRefused).as("uploads neither answered with the 413 document nor closed").isEmpty();
            softly.assertThat(outcomes).as("every body went past the limit on the wire: the server had each to stop")
                    .allSatisfy(outcome -> assertThat(outcome.bytesWritten()).isGreaterThan(maxBodyBytes));
            softly.assertThat(written).as("the application's log").contains("Vert.x HttpServer started");
            softly.assertThat(written.split("OutOfMemoryError", -1).length - 1)
                    .as("OutOfMemoryError in the application's log").isZero();
            softly.assertThat(afterwards.map(HttpResponse::statusCode))
                    .as("the answer to a valid registration right after").hasValue(201);
            softly.assertAll();
        }
    }

    /**
     * Every client connects and sends its headers first; then all bodies are released together, so that the server
     * has fifty bodies in flight at once, as in the attack.
     */
    private static List<RawUpload.Outcome> uploadAllAtOnce(int port, long maxBodyBytes) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(UPLOADS);
        try {
            CountDownLatch headersSent = new CountDownLatch(UPLOADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RawUpload.Outcome>> uploads = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                long size = sizeOf(i);
                assertThat(size).isGreaterThan(maxBodyBytes).isLessThan(OLD_READ_LIMIT);
                RawUpload upload = new RawUpload(port, "/registrations", framingOf(i), size, NO_ANSWER_AFTER);
                uploads.add(clients.submit(() -> upload.send(headersSent, start)));
            }
            assertThat(headersSent.await(30, TimeUnit.SECONDS)).as("all fifty clients connected").isTrue();
            start.countDown();
            List<RawUpload.Outcome> outcomes = new ArrayList<>();
            for (Future<RawUpload.Outcome> upload : uploads) {
                // the uploads bound themselves (socket timeout); this only guards against a defect in the client
                outcomes.add(upload.get(3 * NO_ANSWER_AFTER.toSeconds(), TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            clients.shutdownNow();
        }
    }

    private static Framing framingOf(int upload) {
        return upload % 2 == 0 ? Framing.CONTENT_LENGTH : Framing.CHUNKED;
    }

    /** Just under the old read limit, as in the attack, each a little smaller than the one before. */
    private static long sizeOf(int upload) {
        return OLD_READ_LIMIT - 1 - upload * 4096L;
    }

    private static boolean isTheTooLargeDocument(String body, long maxBodyBytes) {
        try {
            return JSON.readTree(body).equals(JSON.createObjectNode().put("error", "RequestTooLarge")
                    .put("cause", "The body exceeds the limit of " + maxBodyBytes + " bytes."));
        } catch (IOException notJson) {
            return false;
        }
    }

    private static String configured(String key) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("config", "application.properties"))) {
            properties.load(reader);
        }
        return properties.getProperty(key);
    }

    /** The -Xmx of config/jvm.options, in bytes. */
    private static long productionMaxHeapBytes() throws IOException {
        String xmx = Files.readAllLines(ApplicationProcess.PRODUCTION_JVM_OPTIONS).stream()
                .map(String::trim).filter(line -> line.startsWith("-Xmx")).findFirst().orElseThrow().substring(4);
        long number = Long.parseLong(xmx.replaceAll("[^0-9]", ""));
        return switch (Character.toLowerCase(xmx.charAt(xmx.length() - 1))) {
            case 'g' -> number << 30;
            case 'm' -> number << 20;
            case 'k' -> number << 10;
            default -> number;
        };
    }
}
