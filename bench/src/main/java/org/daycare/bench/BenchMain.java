package org.daycare.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The benchmark suite's driver (started by bench/run, from the project root): runs the eight figures one after the
 * other, never two loads at once, prints the table and writes target/bench/results.json (and .txt, .md).
 *
 * <pre>
 * bench/run [--quick] [--only=1,2,3,4,5,6,7,8]
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Set<String> only = new LinkedHashSet<>();
        for (String arg : args) {
            if (arg.startsWith("--only=")) {
                only.addAll(Arrays.asList(arg.substring("--only=".length()).split(",")));
            }
        }
        Settings settings = new Settings(quick, only, Path.of("").toAbsolutePath());
        if (!Files.isRegularFile(settings.appJar)) {
            throw new IllegalStateException(settings.appJar + " is missing: bench/run builds it");
        }
        Report report = new Report();
        long started = System.nanoTime();
        meta(settings, report.meta(), args);
        System.out.printf("daycare-registration benchmarks, %s run (%s)%n", settings.mode(),
                quick ? "fewer rounds, 1-2 s runs, fewer files and rows: a smoke check, not figures to quote"
                        : "the figures docs/benchmarks.md quotes");
        run(settings, "1", "HTTP registrations vs echo (and RSS under that load)", () -> HttpFigure.run(settings, report));
        run(settings, "2", "in-process workflow vs the four rules (JMH)", () -> WorkflowFigure.run(settings, report));
        run(settings, "3", "file drop", () -> FileDropFigure.run(settings, report));
        run(settings, "4", "notification outbox drain to SNS (fauxqs)", () -> NotificationFigure.run(settings, report));
        run(settings, "5", "start-up to first registration", () -> StartupFigure.run(settings, report));
        run(settings, "6", "growth: 0 vs many executions in the database", () -> GrowthFigure.run(settings, report));
        run(settings, "7", "approval path: approve/s for a backlog of waiting executions vs reads",
                () -> ApprovalFigure.run(settings, report));
        run(settings, "8", "waitlist: promotions/s from a waitlist of 10,000 (a raise) and by cancellations",
                () -> WaitlistFigure.run(settings, report));
        double seconds = (System.nanoTime() - started) / 1e9;
        report.meta().put("driver_seconds", Math.round(seconds));
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now());
        Path json = settings.out.resolve("results.json");
        report.write(json, settings.out.resolve("results.txt"), settings.out.resolve("results.md"));
        Files.copy(json, settings.out.resolve("results-" + settings.mode() + "-" + stamp + ".json"));
        System.out.println();
        System.out.println(report.table());
        System.out.printf("%s run, %.0f s; figures with every round: %s%n", settings.mode(), seconds,
                settings.root.relativize(json));
        if (!report.failures().isEmpty()) {
            // the figures are written; the run still fails, so that a wrong answer is never taken for a figure
            System.exit(1);
        }
    }

    interface Figure {
        void run() throws Exception;
    }

    private static void run(Settings settings, String number, String title, Figure figure) throws Exception {
        if (!settings.runs(number)) {
            return;
        }
        long started = System.nanoTime();
        System.out.printf("[%s] %s ...%n", number, title);
        figure.run();
        System.out.printf("[%s] done in %.0f s%n", number, (System.nanoTime() - started) / 1e9);
    }

    private static void meta(Settings settings, ObjectNode meta, String[] args) {
        meta.put("date", ZonedDateTime.now().toString());
        meta.put("mode", settings.mode());
        meta.put("command", ("bench/run " + String.join(" ", args)).strip());
        meta.put("nproc", Runtime.getRuntime().availableProcessors());
        meta.put("free_h", command("free", "-h"));
        meta.put("java_version", command(AppProcess.javaBinary(), "-version"));
        meta.put("wrk_version", command("wrk", "--version").lines().findFirst().orElse(""));
        meta.put("git_commit", command("git", "rev-parse", "HEAD").strip());
        meta.put("git_status_short", command("git", "status", "--short"));
        meta.put("app_jvm_flags", String.join(" ", Settings.APP_JVM_FLAGS));
        meta.put("today_pinned", Settings.TODAY);
    }

    static String command(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(Duration.ofSeconds(20).toSeconds(), TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }
}
