package org.daycare.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.bench.floors.BareFileRoute;

/**
 * Figure 3, the file drop. Each round drops N registration files at once into the inbox of the running
 * application (shipped inbox settings) and times until every NAME.result.json is in the outbox and no *.json is
 * left in the inbox; the floor is the same drop into a bare Camel file route with the same options
 * ({@link BareFileRoute}), in the same rounds, in alternating order.
 *
 * <p>A drop is what the README asks of writers: each file is written beside the inbox, then renamed in. Its
 * modification time is set to the moment of its rename, as a file written just before would have, so the
 * consumer's minimum age (1 s) counts from the drop, as it would in production.
 */
final class FileDropFigure {

    private FileDropFigure() {
    }

    record Drain(int files, double seconds, double dropSeconds, long archived, long failed) {
        double filesPerSecond() {
            return files / seconds;
        }
    }

    static void run(Settings settings, Report report) throws Exception {
        Path base = settings.work.resolve("filedrop");
        Path appData = base.resolve("app-data");
        Path floorData = base.resolve("floor-data");
        for (Path dir : List.of(appData.resolve("inbox"), floorData.resolve("inbox"))) {
            Files.createDirectories(dir);
        }
        ObjectNode figure = report.figure("3_file_drop");
        figure.put("files_per_round", settings.files);
        figure.put("rounds", settings.fileRounds);
        figure.put("inbox_settings", "shipped defaults: min-age 1s, check-interval 250 ms, poll-delay 500 ms, "
                + "max-per-poll 500");
        if (settings.quick) {
            figure.put("quick", "fewer files than the full run's 10,000");
        }
        List<Drain> app = new ArrayList<>();
        List<Drain> floor = new ArrayList<>();
        ArrayNode outcomes = figure.putArray("app_outcomes_per_round");
        try (AppProcess application = AppProcess.application(settings, "filedrop", appData, Map.of());
             AppProcess bare = AppProcess.floor(settings, "filedrop-floor", BareFileRoute.class,
                     Map.of("bench.data", floorData.toAbsolutePath().toString()))) {
            application.awaitHealthy();
            awaitFile(floorData.resolve("bench.ready"), Duration.ofSeconds(60), bare);
            // warm-up: a small drop through each, so that the JIT has seen the path
            int warm = settings.quick ? 20 : 500;
            drain(settings, base, appData, "warm-app", warm);
            drain(settings, base, floorData, "warm-floor", warm);
            clean(appData);
            clean(floorData);
            for (int round = 1; round <= settings.fileRounds; round++) {
                boolean appFirst = round % 2 == 1;
                for (int leg = 0; leg < 2; leg++) {
                    boolean isApp = (leg == 0) == appFirst;
                    if (isApp) {
                        Drain drain = drain(settings, base, appData, "app-r" + round, settings.files);
                        app.add(drain);
                        outcomes.add(outcomes(appData.resolve("outbox")));
                    } else {
                        floor.add(drain(settings, base, floorData, "floor-r" + round, settings.files));
                    }
                    clean(appData);
                    clean(floorData);
                }
            }
        }
        ArrayNode appRounds = figure.putArray("app_rounds");
        app.forEach(d -> appRounds.add(json(d)));
        ArrayNode floorRounds = figure.putArray("floor_rounds");
        floor.forEach(d -> floorRounds.add(json(d)));
        double appRate = Stats.median(app.stream().map(Drain::filesPerSecond).toList());
        double floorRate = Stats.median(floor.stream().map(Drain::filesPerSecond).toList());
        double appSeconds = Stats.median(app.stream().map(Drain::seconds).toList());
        long failed = app.stream().mapToLong(Drain::failed).sum();
        figure.put("app_files_per_second_median", appRate).put("floor_files_per_second_median", floorRate)
                .put("app_drain_seconds_median", appSeconds);
        String files = String.format("%,d files%s", settings.files, settings.quick ? " (quick: full run 10,000)" : "");
        report.row("3", "file drop drain, files/s", appRate, "files/s", "bare file route", floorRate,
                files + String.format(", %s s to drain", Report.format(appSeconds))
                        + (failed > 0 ? ", " + failed + " IN FAILED/" : ""));
        report.target("file drop", ">= 2,000 files/s", Report.format(appRate) + " files/s (" + files + ")",
                appRate >= 2000);
    }

    private static ObjectNode json(Drain d) {
        return Report.JSON.createObjectNode().put("files", d.files()).put("seconds", Wrk.round(d.seconds(), 3))
                .put("files_per_second", Wrk.round(d.filesPerSecond(), 1))
                .put("drop_seconds", Wrk.round(d.dropSeconds(), 3))
                .put("archived", d.archived()).put("failed", d.failed());
    }

    /** Writes the files beside the inbox (not timed), then renames them all in and times the drain. */
    static Drain drain(Settings settings, Path base, Path data, String name, int count) throws Exception {
        Path staging = base.resolve("staging-" + name);
        Files.createDirectories(staging);
        List<Path> staged = new ArrayList<>(count);
        String prefix = "fd" + settings.nonce + name;
        for (int i = 0; i < count; i++) {
            Path file = staging.resolve(name + "-" + i + ".json");
            Files.writeString(file, Documents.document(prefix, i));
            staged.add(file);
        }
        Path inbox = data.resolve("inbox");
        Path outbox = data.resolve("outbox");
        long start = System.nanoTime();
        for (Path file : staged) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            Files.move(file, inbox.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        long dropped = System.nanoTime();
        long deadline = start + Duration.ofSeconds(Math.max(120, count / 20)).toNanos();
        long pollMillis = count > 2000 ? 100 : 50;
        while (true) {
            if (count(outbox, ".result.json") >= count && count(inbox, ".json") == 0) {
                break;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the drop " + name + " did not drain in time: "
                        + count(outbox, ".result.json") + " of " + count + " results");
            }
            AppProcess.sleep(pollMillis);
        }
        long end = System.nanoTime();
        Files.deleteIfExists(staging);
        return new Drain(count, (end - start) / 1e9, (dropped - start) / 1e9, count(data.resolve("archive"), ".json"),
                count(data.resolve("failed"), ".json"));
    }

    static long count(Path dir, String suffix) {
        String[] names = dir.toFile().list();
        if (names == null) {
            return 0;
        }
        long n = 0;
        for (String name : names) {
            if (name.endsWith(suffix) && !name.startsWith(".")) {
                n++;
            }
        }
        return n;
    }

    /** What the application answered in the round's result documents (the expected mix is 8:1:1). */
    private static ObjectNode outcomes(Path outbox) throws IOException {
        long succeeded = 0;
        long invalidAge = 0;
        long incomplete = 0;
        long other = 0;
        try (Stream<Path> results = Files.list(outbox)) {
            for (Path result : (Iterable<Path>) results::iterator) {
                String text = Files.readString(result);
                if (text.contains("\"SUCCEEDED\"")) {
                    succeeded++;
                } else if (text.contains("\"InvalidAge\"")) {
                    invalidAge++;
                } else if (text.contains("\"InformationIncomplete\"")) {
                    incomplete++;
                } else {
                    other++;
                }
            }
        }
        return Report.JSON.createObjectNode().put("succeeded", succeeded).put("invalid_age", invalidAge)
                .put("information_incomplete", incomplete).put("other", other);
    }

    /** Empties the outbox, archive and failed folders between rounds (not timed). */
    private static void clean(Path data) throws IOException {
        for (String dir : List.of("outbox", "archive", "failed")) {
            Path folder = data.resolve(dir);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    static void awaitFile(Path file, Duration timeout, AppProcess process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(file + " did not appear; log " + process.log());
            }
            AppProcess.sleep(50);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
