package org.daycare.registration.faults;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM in the middle of traffic: every request in flight at the signal gets its answer, nothing is registered
 * that a client was not told of, the inbox stops being consumed, the JVM exits in time.
 */
class GracefulShutdownTest {

    private static final int DROPPED_FILES = 300;

    @TempDir
    Path dataDir;

    @Test
    void sigtermFinishesInFlightWorkLeavesUnreadDropsAloneAndExits() throws Exception {
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        ExecutorService clients = Executors.newFixedThreadPool(8);
        // Every request, added when it starts; each completes with its answer or with what the client got instead.
        List<CompletableFuture<HttpResponse<String>>> requests = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<HttpResponse<String>>> startedBeforeTheSignal;
        List<CompletableFuture<HttpResponse<String>>> inFlightAtTheSignal;
        List<CompletableFuture<HttpResponse<String>>> answeredBeforeTheSignal;
        long exitMillis;
        int exitCode;
        try (ApplicationProcess app = ApplicationProcess.start(dataDir, Path.of("target/graceful-shutdown-jvm.log"),
                Map.of("daycare.capacity.per-day", "10000", "daycare.inbox.min-age", "100"))) {
            for (int i = 0; i < DROPPED_FILES; i++) {
                Path staged = Files.writeString(dataDir.resolve("drop-" + i + ".tmp"), Registrations.successCaseForAnotherChild());
                Files.move(staged, inbox.resolve("drop-" + i + ".json"));
            }
            for (int i = 0; i < 2000; i++) {
                clients.submit(() -> {
                    CompletableFuture<HttpResponse<String>> answer = new CompletableFuture<>();
                    requests.add(answer);
                    try {
                        answer.complete(app.postRegistration(Registrations.successCaseForAnotherChild()));
                    } catch (Exception noAnswer) {
                        answer.completeExceptionally(noAnswer);
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> answered(requests) >= 20
                    && countFiles(dataDir.resolve("outbox"), ".result.json") >= 20);

            startedBeforeTheSignal = List.copyOf(requests);
            long signalled = System.nanoTime();
            app.process().destroy(); // SIGTERM
            // started before the signal and still unanswered once it was sent: in flight at the signal
            inFlightAtTheSignal = startedBeforeTheSignal.stream().filter(request -> !request.isDone()).toList();
            answeredBeforeTheSignal = startedBeforeTheSignal.stream().filter(request -> !inFlightAtTheSignal.contains(request)).toList();
            boolean exited = app.process().waitFor(60, TimeUnit.SECONDS);
            exitMillis = (System.nanoTime() - signalled) / 1_000_000;
            assertThat(exited).as("the JVM exits after SIGTERM").isTrue();
            exitCode = app.process().exitValue();
            // The process is gone, so each of these has its answer or its error by now (the client times out at 30 s).
            for (CompletableFuture<HttpResponse<String>> request : startedBeforeTheSignal) {
                request.handle((response, error) -> null).get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }

        int unread = countFiles(inbox, ".json");
        int answeredFiles = countFiles(dataDir.resolve("outbox"), ".result.json");
        int archived = countFiles(dataDir.resolve("archive"), ".json");
        System.out.printf("SIGTERM: exited with %d after %d ms; %d drops answered, %d left unread; %d HTTP requests"
                        + " started before the signal, %d of them in flight at it; %d HTTP answers in all%n",
                exitCode, exitMillis, answeredFiles, unread, startedBeforeTheSignal.size(), inFlightAtTheSignal.size(),
                answered(requests));
        // In flight at the client need not mean inside the route yet: a request the server had not handed to the
        // route when the consumer was suspended is refused with 503 (Camel's answer of a suspended consumer, nothing
        // started). Either is an answer; what must not happen is none, or anything else.
        assertThat(inFlightAtTheSignal).as("requests in flight when SIGTERM was sent").isNotEmpty();
        assertThat(outcomes(inFlightAtTheSignal)).as("what the requests in flight at SIGTERM got")
                .isSubsetOf("201", "503").contains("201");
        assertThat(outcomes(answeredBeforeTheSignal)).as("what the requests answered before SIGTERM got").containsOnly("201");
        assertThat(exitCode).isIn(0, 143);
        assertThat(answeredFiles + unread).as("every drop is either answered or untouched").isEqualTo(DROPPED_FILES);
        assertThat(archived).isEqualTo(answeredFiles);
        assertThat(unread).as("the inbox stopped being consumed").isPositive();

        // No registration was done without its client being told: as many over HTTP as clients were answered 201.
        long confirmedToClients;
        synchronized (requests) {
            confirmedToClients = requests.stream()
                    .filter(request -> request.isDone() && !request.isCompletedExceptionally() && request.join().statusCode() == 201)
                    .count();
        }
        try (RunningApplication restarted = RunningApplication.start(dataDir)) {
            assertThat(httpExecutions(restarted)).as("executions of HTTP requests in the database")
                    .isEqualTo(confirmedToClients);
        }
    }

    private static long httpExecutions(RunningApplication app) throws Exception {
        DataSource dataSource = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM executions WHERE source = 'http'")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Requests answered so far, whatever the status. */
    private static long answered(List<CompletableFuture<HttpResponse<String>>> requests) {
        synchronized (requests) {
            return requests.stream().filter(request -> request.isDone() && !request.isCompletedExceptionally()).count();
        }
    }

    /** Each request's status code, or the error the client got instead of an answer. */
    private static List<String> outcomes(List<CompletableFuture<HttpResponse<String>>> requests) {
        return requests.stream()
                .map(request -> request.handle((response, error) -> error != null ? "no answer: " + error
                        : response.statusCode() == 201 || response.statusCode() == 503 ? String.valueOf(response.statusCode())
                        : response.statusCode() + " " + response.body()).join())
                .toList();
    }

    private static int countFiles(Path directory, String suffix) throws Exception {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> matching = files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            return matching.size();
        }
    }
}
