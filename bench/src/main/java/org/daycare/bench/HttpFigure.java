package org.daycare.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Figure 1, HTTP registrations, and the memory half of figure 5. One application JVM (config/jvm.options: -Xmx256m, embedded H2 file
 * database, the echo floor switched on) takes, in each round and at 8, 32 and 128 connections, one wrk run on
 * POST /registrations and one on POST /bench/echo with the same documents, in alternating order. The figure is
 * the median of the rounds, the floor the echo's median, the ratio registrations/s / echo/s. Its RSS is sampled
 * every 100 ms during the registration runs.
 */
final class HttpFigure {

    private HttpFigure() {
    }

    static void run(Settings settings, Report report) throws Exception {
        Path data = settings.work.resolve("http/data");
        ObjectNode figure = report.figure("1_http");
        ObjectNode memory = report.figure("5_memory");
        figure.put("database", "embedded H2 file (the default), data under " + settings.root.relativize(data));
        figure.put("jvm_flags", String.join(" ", Settings.APP_JVM_FLAGS));
        figure.put("wrk", "wrk -t" + Wrk.THREADS + " -d" + settings.httpSeconds + "s, bench/lua/load.lua");
        figure.put("rounds", settings.httpRounds);
        Map<Integer, List<Wrk.Result>> echo = new LinkedHashMap<>();
        Map<Integer, List<Wrk.Result>> registrations = new LinkedHashMap<>();
        List<Long> echoRss = new ArrayList<>();
        try (AppProcess app = AppProcess.application(settings, "http", data, Map.of("daycare.bench.echo-enabled", "true"))) {
            app.awaitHealthy();
            String echoUrl = app.url("/bench/echo");
            String registrationsUrl = app.url("/registrations");
            // warm-up: both paths through the JIT before anything counts
            Wrk.run(settings, echoUrl, "echo", "warm", 32, settings.httpWarmupSeconds);
            Wrk.run(settings, registrationsUrl, "registrations", "w" + settings.nonce, 32, settings.httpWarmupSeconds);
            app.awaitIdle(settings.idle);
            try (Proc.RssSampler rss = new Proc.RssSampler(app.pid());
                 Proc.RssSampler rssEcho = new Proc.RssSampler(app.pid())) {
                for (int round = 1; round <= settings.httpRounds; round++) {
                    for (int connections : settings.connections) {
                        boolean echoFirst = round % 2 == 1;
                        for (int leg = 0; leg < 2; leg++) {
                            boolean isEcho = (leg == 0) == echoFirst;
                            if (isEcho) {
                                rssEcho.open();
                                echo.computeIfAbsent(connections, c -> new ArrayList<>()).add(Wrk.run(settings,
                                        echoUrl, "echo", "e", connections, settings.httpSeconds));
                                rssEcho.pause();
                                app.awaitIdle(settings.idle);
                            } else {
                                rss.open();
                                registrations.computeIfAbsent(connections, c -> new ArrayList<>()).add(Wrk.run(settings,
                                        registrationsUrl, "registrations",
                                        "h" + settings.nonce + "r" + round + "c" + connections,
                                        connections, settings.httpSeconds));
                                rss.pause();
                                app.awaitIdle(settings.idle);
                            }
                        }
                    }
                }
                memory.put("peak_rss_since_start_mib", app.peakRssKib() / 1024.0);
                record(memory, "rss_under_registrations_mib", rss.samplesKib());
                record(memory, "rss_under_echo_mib", rssEcho.samplesKib());
                echoRss.addAll(rssEcho.samplesKib());
                summarize(settings, report, figure, memory, echo, registrations, rss.samplesKib(), echoRss);
            }
        }
        Path db = data.resolve("db/daycare.mv.db");
        if (Files.exists(db)) {
            long executions = registrations.values().stream().flatMap(List::stream).mapToLong(Wrk.Result::requests).sum();
            figure.put("h2_file_bytes_after", Files.size(db));
            figure.put("registrations_posted_in_measured_runs", executions);
        }
    }

    private static void record(ObjectNode node, String key, List<Long> samplesKib) {
        ObjectNode summary = node.putObject(key);
        summary.put("samples", samplesKib.size());
        summary.put("median", Stats.median(samplesKib) / 1024);
        summary.put("max", Stats.max(samplesKib) / 1024);
    }

    private static void summarize(Settings settings, Report report, ObjectNode figure, ObjectNode memory,
            Map<Integer, List<Wrk.Result>> echo, Map<Integer, List<Wrk.Result>> registrations, List<Long> rssKib,
            List<Long> echoRssKib) {
        ArrayNode levels = figure.putArray("connections");
        for (int connections : settings.connections) {
            List<Wrk.Result> reg = registrations.get(connections);
            List<Wrk.Result> flo = echo.get(connections);
            double regRps = Stats.median(reg.stream().map(Wrk.Result::rps).toList());
            double echoRps = Stats.median(flo.stream().map(Wrk.Result::rps).toList());
            double p50 = Stats.median(reg.stream().map(Wrk.Result::p50Ms).toList());
            double p99 = Stats.median(reg.stream().map(Wrk.Result::p99Ms).toList());
            double max = Stats.median(reg.stream().map(Wrk.Result::maxMs).toList());
            double echoP99 = Stats.median(flo.stream().map(Wrk.Result::p99Ms).toList());
            double echoP50 = Stats.median(flo.stream().map(Wrk.Result::p50Ms).toList());
            long created = reg.stream().mapToLong(r -> r.status(201)).sum();
            long rejected = reg.stream().mapToLong(r -> r.status(422)).sum();
            long unexpected = reg.stream().mapToLong(r -> r.unexpected(201, 422)).sum();
            long echoUnexpected = flo.stream().mapToLong(r -> r.unexpected(200)).sum();
            ObjectNode level = levels.addObject().put("connections", connections)
                    .put("registrations_rps_median", regRps).put("echo_rps_median", echoRps)
                    .put("ratio", Stats.ratio(regRps, echoRps))
                    .put("registrations_p50_ms_median", p50).put("registrations_p99_ms_median", p99)
                    .put("registrations_max_ms_median", max)
                    .put("echo_p50_ms_median", echoP50).put("echo_p99_ms_median", echoP99)
                    .put("answered_201", created).put("answered_422", rejected)
                    .put("unexpected_answers_or_errors", unexpected).put("echo_unexpected", echoUnexpected);
            ArrayNode rounds = level.putArray("registrations_rounds");
            reg.forEach(r -> rounds.add(r.toJson()));
            ArrayNode echoRounds = level.putArray("echo_rounds");
            flo.forEach(r -> echoRounds.add(r.toJson()));
            String mix = String.format("201 %d, 422 %d%s", created, rejected,
                    unexpected > 0 ? ", UNEXPECTED " + unexpected : "");
            report.row("1", "POST /registrations req/s @" + connections, regRps, "req/s", "echo", echoRps, mix);
            report.row("1", "  p50 / p99 / max @" + connections, p99, "ms p99",
                    String.format("p50 %s ms, max %s ms; echo p50 %s, p99 %s ms", Report.format(p50),
                            Report.format(max), Report.format(echoP50), Report.format(echoP99)));
            if (connections == 32) {
                double ratio = Stats.ratio(regRps, echoRps);
                report.target("HTTP registrations @32 vs echo", ">= 50% of echo/s, p99 <= 10 ms",
                        String.format("%.1f%% of echo, p99 %s ms", ratio * 100, Report.format(p99)),
                        ratio >= 0.5 && p99 <= 10);
            }
            if (unexpected > 0) {
                report.note("figure 1 @" + connections + ": " + unexpected
                        + " registration answers were neither 201 nor 422 (or socket errors): see the JSON");
            }
        }
        double rssMax = Stats.max(rssKib) / 1024;
        double rssMedian = Stats.median(rssKib) / 1024;
        double echoMax = Stats.max(echoRssKib) / 1024;
        report.row("5", "RSS under registration load, max", rssMax, "MiB", "echo load", echoMax,
                String.format("median %s MiB; %s", Report.format(rssMedian), String.join(" ", Settings.APP_JVM_FLAGS)));
        report.target("RSS under HTTP load with -Xmx256m", "<= 300 MB", Report.format(rssMax * 1.048576) + " MB ("
                + Report.format(rssMax) + " MiB)", rssMax * 1.048576 <= 300);
        memory.put("jvm_flags", String.join(" ", Settings.APP_JVM_FLAGS));
    }
}
