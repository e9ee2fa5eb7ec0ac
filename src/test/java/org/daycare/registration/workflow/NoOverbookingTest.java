package org.daycare.registration.workflow;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Many registrations racing for fewer spots over HTTP: exactly the capacity is confirmed, the rest get NoSpots. */
class NoOverbookingTest {

    private static final int CAPACITY = 5;
    private static final int REQUESTS = 24;

    @TempDir
    Path dataDir;

    @Test
    void concurrentRegistrationsNeverTakeMoreThanTheCapacity() throws Exception {
        try (RunningApplication app = RunningApplication.start(dataDir,
                Map.of("daycare.capacity.per-day", String.valueOf(CAPACITY)))) {
            ExecutorService clients = Executors.newFixedThreadPool(REQUESTS);
            CountDownLatch startGate = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                responses.add(clients.submit(() -> {
                    startGate.await();
                    return app.postRegistration(Registrations.successCaseForAnotherChild());
                }));
            }
            startGate.countDown();

            int confirmed = 0;
            int noSpots = 0;
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.get(60, TimeUnit.SECONDS);
                if (answer.statusCode() == 201) {
                    confirmed++;
                } else if (answer.statusCode() == 422 && answer.body().contains("\"error\":\"NoSpots\"")) {
                    noSpots++;
                }
            }
            clients.shutdown();

            assertThat(confirmed).isEqualTo(CAPACITY);
            assertThat(noSpots).isEqualTo(REQUESTS - CAPACITY);
        }
    }
}
