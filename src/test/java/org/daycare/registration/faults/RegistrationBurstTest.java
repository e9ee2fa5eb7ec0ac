package org.daycare.registration.faults;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enrolment morning: 500 registrations sent at once for 20 spots. Exactly 20 are confirmed, the rest get NoSpots,
 * nothing fails. The latency percentiles are printed for the record, never asserted (this is not a benchmark).
 */
class RegistrationBurstTest {

    private static final int REQUESTS = 500;
    private static final int SPOTS = 20;

    @TempDir
    Path dataDir;

    @Test
    void fiveHundredConcurrentRegistrationsForTwentySpotsConfirmExactlyTwenty() throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", String.valueOf(SPOTS)))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            List<CompletableFuture<long[]>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                HttpRequest request = HttpRequest.newBuilder(app.uri("/registrations"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Registrations.successCaseForAnotherChild()))
                        .build();
                long sent = System.nanoTime();
                answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .thenApply(response -> new long[] {response.statusCode(), System.nanoTime() - sent,
                                response.body().contains("\"error\":\"NoSpots\"") ? 1 : 0}));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

            long confirmed = answers.stream().filter(a -> a.join()[0] == 201).count();
            long noSpots = answers.stream().filter(a -> a.join()[0] == 422 && a.join()[2] == 1).count();
            long[] latencies = answers.stream().mapToLong(a -> a.join()[1]).sorted().toArray();
            System.out.printf("burst of %d for %d spots: %d confirmed, %d NoSpots; latency p50 %d ms, p99 %d ms, max %d ms%n",
                    REQUESTS, SPOTS, confirmed, noSpots, percentile(latencies, 50), percentile(latencies, 99),
                    latencies[latencies.length - 1] / 1_000_000);

            assertThat(confirmed).isEqualTo(SPOTS);
            assertThat(noSpots).isEqualTo(REQUESTS - SPOTS);
        }
    }

    private static long percentile(long[] sortedNanos, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, index)] / 1_000_000;
    }
}
