package org.daycare.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Figure 6, growth. Two application JVMs with the same flags: one on an empty database, one on a database into
 * which N finished executions (1,000,000 in the full run) were written with SQL before it started (see
 * {@link Seeder#history}). Both run at once but only one takes load at a time. First the registration rounds (each
 * round a wrk run of POST /registrations at 32 connections on each, in alternating order), then the listing rounds
 * (GET /executions?status=FAILED, the admin listing's first page, one connection, so that the figure is a
 * latency; the page size cycles over 45..55, see bench/lua/load.lua's "list" mode). After every run the suite waits until the application is idle again, so that a slow query still
 * running for a client that wrk already dropped does not slow the next run. The figures are the seeded database's
 * medians against the empty one's.
 */
final class GrowthFigure {

    private GrowthFigure() {
    }

    static void run(Settings settings, Report report) throws Exception {
        ObjectNode figure = report.figure("6_growth");
        Path emptyData = settings.work.resolve("growth/empty");
        Path seededData = settings.work.resolve("growth/seeded");
        FileDropFigure.deleteTree(emptyData);
        FileDropFigure.deleteTree(seededData);
        long seedStart = System.nanoTime();
        Path seed = seededDatabase(settings, figure);
        Files.createDirectories(seededData.resolve("db"));
        Files.copy(seed, seededData.resolve("db/daycare.mv.db"));
        figure.put("seeded_executions", settings.growthRows)
                .put("seed_or_copy_seconds", Wrk.round((System.nanoTime() - seedStart) / 1e9, 1))
                .put("seeded_h2_file_bytes", Files.size(seededData.resolve("db/daycare.mv.db")));
        if (settings.quick) {
            figure.put("quick", "fewer rows than the full run's 1,000,000");
        }
        List<Wrk.Result> emptyPost = new ArrayList<>();
        List<Wrk.Result> seededPost = new ArrayList<>();
        List<Wrk.Result> emptyGet = new ArrayList<>();
        List<Wrk.Result> seededGet = new ArrayList<>();
        String auth = "Authorization: Bearer " + Settings.ADMIN_TOKEN;
        try (AppProcess empty = AppProcess.application(settings, "growth-empty", emptyData, Map.of());
             AppProcess seeded = AppProcess.application(settings, "growth-seeded", seededData, Map.of())) {
            empty.awaitHealthy();
            seeded.awaitHealthy();
            // warm-up of both at once (not measured): the JIT, and a first page of FAILED executions in the empty one
            List<Thread> warmUps = new ArrayList<>();
            for (AppProcess app : List.of(empty, seeded)) {
                Thread warm = new Thread(() -> Wrk.run(settings, app.url("/registrations"), "registrations",
                        "gw" + settings.nonce + app.port(), 32, settings.httpWarmupSeconds));
                warm.start();
                warmUps.add(warm);
            }
            for (Thread warm : warmUps) {
                warm.join();
            }
            empty.awaitIdle(settings.idle);
            seeded.awaitIdle(settings.idle);
            // registrations first, alternating; then the listing, alternating: a slow listing (it may sort every FAILED
            // execution in a 256 MB heap) must not leave its garbage or its CPU to the registration runs
            for (int round = 1; round <= settings.growthRounds; round++) {
                for (AppProcess app : round % 2 == 1 ? List.of(empty, seeded) : List.of(seeded, empty)) {
                    boolean isEmpty = app == empty;
                    (isEmpty ? emptyPost : seededPost).add(Wrk.run(settings, app.url("/registrations"),
                            "registrations", "g" + settings.nonce + (isEmpty ? "e" : "s") + round, 32,
                            settings.growthSeconds));
                    app.awaitIdle(settings.idle);
                }
            }
            for (AppProcess app : settings.quick ? List.<AppProcess>of() : List.of(empty, seeded)) {
                Wrk.run(settings, app.url("/executions?status=FAILED"), "list", "-", 1, 1, auth);
                app.awaitIdle(settings.idle);
            }
            for (int round = 1; round <= settings.growthRounds; round++) {
                for (AppProcess app : round % 2 == 1 ? List.of(empty, seeded) : List.of(seeded, empty)) {
                    boolean isEmpty = app == empty;
                    (isEmpty ? emptyGet : seededGet).add(Wrk.run(settings, app.url("/executions?status=FAILED"), "list",
                            "-", 1, settings.growthSeconds, auth));
                    app.awaitIdle(settings.idle);
                }
            }
        }
        put(figure, "empty_post_rounds", emptyPost);
        put(figure, "seeded_post_rounds", seededPost);
        put(figure, "empty_get_rounds", emptyGet);
        put(figure, "seeded_get_rounds", seededGet);
        double emptyRps = Stats.median(emptyPost.stream().map(Wrk.Result::rps).toList());
        double seededRps = Stats.median(seededPost.stream().map(Wrk.Result::rps).toList());
        double emptyP99 = Stats.median(emptyPost.stream().map(Wrk.Result::p99Ms).toList());
        double seededP99 = Stats.median(seededPost.stream().map(Wrk.Result::p99Ms).toList());
        double emptyGetP50 = Stats.median(emptyGet.stream().map(r -> latency(r, r.p50Ms())).toList());
        double seededGetP50 = Stats.median(seededGet.stream().map(r -> latency(r, r.p50Ms())).toList());
        double emptyGetP99 = Stats.median(emptyGet.stream().map(r -> latency(r, r.p99Ms())).toList());
        double seededGetP99 = Stats.median(seededGet.stream().map(r -> latency(r, r.p99Ms())).toList());
        boolean unanswered = seededGet.stream().anyMatch(r -> r.requests() == 0) || emptyGet.stream().anyMatch(r -> r.requests() == 0);
        long unexpected = seededPost.stream().mapToLong(r -> r.unexpected(201, 422)).sum()
                + emptyPost.stream().mapToLong(r -> r.unexpected(201, 422)).sum();
        long getUnexpected = seededGet.stream().mapToLong(r -> r.unexpected(200)).sum()
                + emptyGet.stream().mapToLong(r -> r.unexpected(200)).sum();
        String rows = String.format("%,d executions%s", settings.growthRows,
                settings.quick ? " (quick: full run 1,000,000)" : "");
        report.row("6", "POST /registrations @32, seeded DB", seededRps, "req/s", "empty DB", emptyRps,
                rows + String.format("; p99 %s vs %s ms", Report.format(seededP99), Report.format(emptyP99))
                        + (unexpected > 0 ? "; UNEXPECTED " + unexpected : ""));
        report.row("6", "GET /executions?status=FAILED p50, seeded DB", seededGetP50, "ms", "empty DB", emptyGetP50,
                String.format("p99 %s vs %s ms, 1 connection, limit 45..55, %d s runs", Report.format(seededGetP99),
                        Report.format(emptyGetP99), settings.growthSeconds)
                        + (unanswered ? "; a run completed no request: its latency counted as the run's length" : "")
                        + (getUnexpected > 0 ? "; UNEXPECTED " + getUnexpected : ""));
        double slowerPost = 1 - seededRps / emptyRps;
        double slowerGet = seededGetP50 / emptyGetP50 - 1;
        figure.put("registrations_slower_fraction", slowerPost).put("get_failed_p50_slower_fraction", slowerGet);
        report.target("growth: registrations/s with " + rows, "<= 10% slower",
                String.format("%+.1f%% slower", slowerPost * 100), slowerPost <= 0.10);
        report.target("growth: GET ?status=FAILED p50 with " + rows, "<= 10% slower",
                String.format("%s ms vs %s ms: %s", Report.format(seededGetP50), Report.format(emptyGetP50),
                        slowerGet >= 10 ? String.format("%,.0fx", seededGetP50 / emptyGetP50)
                                : String.format("%+.1f%% slower", slowerGet * 100)), slowerGet <= 0.10);
    }

    /** A run's latency; a run in which no request completed counts as taking the whole run (a lower bound). */
    private static double latency(Wrk.Result result, double measured) {
        return result.requests() == 0 ? result.seconds() * 1000 : measured;
    }

    /**
     * The seeded database file: made once per row count, schema and seeder (written with SQL, then compacted with
     * SHUTDOWN COMPACT, as the file of an application that was restarted would be) and kept in
     * target/bench/cache/, so that later runs copy it instead of writing a million executions again.
     */
    private static Path seededDatabase(Settings settings, ObjectNode figure) throws Exception {
        String key = Seeder.cacheKey(settings.appJar, settings.growthRows);
        Path cached = settings.out.resolve("cache").resolve("growth-" + settings.growthRows + "-" + key);
        Path file = cached.resolve("db/daycare.mv.db");
        if (Files.isRegularFile(file)) {
            figure.put("seed", "copied from " + settings.root.relativize(cached) + " (made by an earlier run)");
            return file;
        }
        Path making = cached.resolveSibling(cached.getFileName() + ".making");
        FileDropFigure.deleteTree(making);
        long start = System.nanoTime();
        try (HikariDataSource dataSource = Seeder.open(making)) {
            Seeder.history(dataSource, settings.growthRows);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long written = Files.size(making.resolve("db/daycare.mv.db"));
        Seeder.compact(making);
        figure.put("seed", String.format("written with SQL in %.0f s (file %,d bytes), compacted to %,d bytes in %.0f s",
                seconds, written, Files.size(making.resolve("db/daycare.mv.db")), (System.nanoTime() - start) / 1e9 - seconds));
        Files.move(making, cached);
        return file;
    }

    private static void put(ObjectNode figure, String key, List<Wrk.Result> results) {
        ArrayNode rounds = figure.putArray(key);
        results.forEach(r -> rounds.add(r.toJson()));
    }
}
