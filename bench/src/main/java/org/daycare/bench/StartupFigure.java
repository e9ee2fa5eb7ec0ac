package org.daycare.bench;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.bench.floors.BareEcho;

/**
 * Figure 5, start-up: from starting {@code java FLAGS ... -jar target/daycare-registration.jar} (FLAGS: those of
 * config/jvm.options; a new data directory each time, so Flyway creates the schema, as on a first start) to the first 201 of POST /registrations,
 * polled every 5 ms. The floor is {@link BareEcho} (Camel Main and the same HTTP server from the same jar, one
 * echo route) to its first 200, in the same rounds, alternating which starts first.
 */
final class StartupFigure {

    private StartupFigure() {
    }

    static void run(Settings settings, Report report) throws Exception {
        ObjectNode figure = report.figure("5_startup");
        List<Double> app = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        for (int round = 1; round <= settings.startRounds; round++) {
            boolean appFirst = round % 2 == 1;
            for (int leg = 0; leg < 2; leg++) {
                if ((leg == 0) == appFirst) {
                    Path data = settings.work.resolve("startup/app-r" + round);
                    FileDropFigure.deleteTree(data);
                    try (AppProcess process = AppProcess.application(settings, "startup-r" + round, data, Map.of())) {
                        app.add(untilAnswered(process, "/registrations",
                                Documents.document("st" + settings.nonce + "r" + round, 0), 201));
                    }
                } else {
                    try (AppProcess process = AppProcess.floor(settings, "startup-floor-r" + round, BareEcho.class,
                            Map.of())) {
                        floor.add(untilAnswered(process, "/bench/echo", "{}", 200));
                    }
                }
            }
        }
        ArrayNode appRounds = figure.putArray("app_ms_rounds");
        app.forEach(appRounds::add);
        ArrayNode floorRounds = figure.putArray("floor_ms_rounds");
        floor.forEach(floorRounds::add);
        double appMs = Stats.median(app);
        double floorMs = Stats.median(floor);
        figure.put("app_ms_median", appMs).put("floor_ms_median", floorMs);
        figure.put("command", "java " + String.join(" ", Settings.APP_JVM_FLAGS)
                + " -Ddaycare.*=... -jar target/daycare-registration.jar (fresh data directory)");
        report.row("5", "start-up to first 201", appMs, "ms", "bare Camel echo", floorMs,
                settings.startRounds + " starts each, fresh data dir");
        report.target("start-up to first registration", "<= 3 s", Report.format(appMs / 1000) + " s", appMs <= 3000);
    }

    /** Milliseconds from the process start to the first answer with the wanted status. */
    private static double untilAnswered(AppProcess process, String path, String body, int status) {
        HttpRequest request = HttpRequest.newBuilder(process.uri(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long deadline = process.startedNanos() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                HttpResponse<Void> response = AppProcess.HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == status) {
                    return (System.nanoTime() - process.startedNanos()) / 1e6;
                }
            } catch (IOException notListening) {
                // not yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the process exited before answering; log " + process.log());
            }
            AppProcess.sleep(5);
        }
        throw new IllegalStateException("no " + status + " from " + path + " within 120 s; log " + process.log());
    }
}
