package org.daycare.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What one run of the suite does: the full run, or the --quick smoke run (fewer rounds, shorter runs, fewer files
 * and rows; every figure says so). Everything is relative to the project root, the working directory bench/run
 * starts the driver in (the application reads config/ and routes/ from there).
 */
public final class Settings {

    /** The pinned "today" of every application the suite starts: the spec's worked-examples date. */
    public static final String TODAY = "2026-11-25";
    public static final String ADMIN_TOKEN = "bench-admin-token";
    /** High enough that no registration of a run is refused for want of spots. */
    public static final String CAPACITY_PER_DAY = "1000000000";
    /**
     * The JVM flags of every application JVM (and floor, and JMH fork) of a run: the service's own,
     * {@code config/jvm.options} (the argument file the README runs it with: -Xmx256m, the memory target's heap).
     */
    public static final List<String> APP_JVM_FLAGS = jvmOptions(Path.of("config/jvm.options"));

    /** The options of a Java argument file: one per line here, '#' starting a comment. */
    static List<String> jvmOptions(Path argumentFile) {
        try {
            List<String> options = java.nio.file.Files.readAllLines(argumentFile).stream()
                    .map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .toList();
            if (!options.contains("-Xmx256m")) {
                throw new IllegalStateException(argumentFile + " must hold -Xmx256m, the heap the memory target is set for");
            }
            return options;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the service's JVM options " + argumentFile.toAbsolutePath(), e);
        }
    }

    public final boolean quick;
    public final Set<String> only;
    public final Path root;
    public final Path appJar;
    public final Path out;
    public final Path work;
    public final Path lua;
    public final String nonce;

    // HTTP (figure 1; its application JVM is also the memory figure's)
    public final int httpRounds;
    public final int httpSeconds;
    public final int httpWarmupSeconds;
    public final List<Integer> connections = List.of(8, 32, 128);
    // in-process workflow (figure 2, JMH)
    public final int jmhForks;
    public final int jmhWarmupIterations;
    public final int jmhIterations;
    public final int jmhIterationMillis;
    // file drop (figure 3)
    public final int fileRounds;
    public final int files;
    // notifications (figure 4)
    public final int notifyRounds;
    public final int notifications;
    public final int deployedNotifications;
    // start-up (figure 5)
    public final int startRounds;
    // growth (figure 6)
    public final int growthRounds;
    public final int growthSeconds;
    public final int growthRows;
    // approval path (figure 7)
    public final int approvalRounds;
    public final int approvalBacklog;
    public final int approvalWarmup;
    public final List<Integer> approvalConcurrency = List.of(8, 32);
    // waitlist (figure 8)
    public final int waitlistRounds;
    public final int waitlistSize;
    public final int waitlistCancels;
    public final int waitlistFloor;
    public final int waitlistWarmup;
    /**
     * The longest wait, after a load run, for the application to be idle again (AppProcess#awaitIdle): the full
     * run waits for any request still in flight; the quick run, a smoke check, does not wait.
     */
    public final java.time.Duration idle;

    public Settings(boolean quick, Set<String> only, Path root) {
        this.quick = quick;
        this.only = only;
        this.root = root;
        this.appJar = root.resolve("target/bench/app/daycare-registration.jar");
        this.out = root.resolve("target/bench");
        this.work = out.resolve("work");
        this.lua = root.resolve("bench/lua/load.lua");
        this.nonce = Long.toString(System.currentTimeMillis(), 36);

        httpRounds = 3;
        httpSeconds = quick ? 1 : 10;
        httpWarmupSeconds = quick ? 1 : 8;

        jmhForks = quick ? 1 : 2;
        jmhWarmupIterations = quick ? 1 : 3;
        jmhIterations = quick ? 3 : 5;
        jmhIterationMillis = quick ? 500 : 2000;

        fileRounds = 3;
        files = quick ? 200 : 10_000;

        notifyRounds = quick ? 3 : 5;
        notifications = quick ? 200 : 3_000;
        deployedNotifications = quick ? 200 : 2_000;

        startRounds = quick ? 2 : 5;

        growthRounds = 3;
        growthSeconds = quick ? 1 : 8;
        growthRows = quick ? 10_000 : 1_000_000;

        approvalRounds = quick ? 1 : 3;
        approvalBacklog = quick ? 300 : 2_000;
        approvalWarmup = quick ? 200 : 1_000;
        waitlistRounds = quick ? 1 : 3;
        waitlistSize = quick ? 1_000 : 10_000;
        waitlistCancels = quick ? 200 : 2_000;
        waitlistFloor = quick ? 200 : 2_000;
        waitlistWarmup = quick ? 200 : 1_000;
        idle = java.time.Duration.ofMillis(quick ? 0 : 30_000);
    }

    public boolean runs(String figure) {
        return only.isEmpty() || only.contains(figure);
    }

    public String mode() {
        return quick ? "quick" : "full";
    }
}
