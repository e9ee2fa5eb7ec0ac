package org.daycare.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the suite starts: the application ({@code java -jar target/daycare-registration.jar}) or one of the floors
 * (a main class of this module on the same classpath as the jar). Always on 127.0.0.1 and a free port, always
 * from the project root (where config/ and routes/ are), output to a log file. Every process started is stopped
 * by {@link #stop()} or, at the latest, by the shutdown hook of the driver.
 */
public final class AppProcess implements AutoCloseable {

    private static final Set<AppProcess> RUNNING = ConcurrentHashMap.newKeySet();
    /** The suite's one client: HTTP/1.1 (the JDK's h2c upgrade trips the server's stream limit), loopback only. */
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(AppProcess::kill), "bench-kill-apps"));
    }

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final long startedNanos;

    private AppProcess(String name, Process process, int port, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedNanos = startedNanos;
        RUNNING.add(this);
    }

    /** The application as shipped: {@code java FLAGS -Dkey=value... -jar target/daycare-registration.jar}. */
    public static AppProcess application(Settings settings, String name, Path dataDir, Map<String, String> properties)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(Settings.APP_JVM_FLAGS);
        command.addAll(applicationProperties(dataDir, port));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(settings.appJar.toString());
        return start(settings, name, command, port);
    }

    /** The properties every application JVM of the suite gets: loopback, its port and data, today pinned. */
    static List<String> applicationProperties(Path dataDir, int port) {
        return List.of("-Dcamel.server.host=127.0.0.1", "-Dcamel.server.port=" + port,
                "-Ddaycare.data-dir=" + dataDir.toAbsolutePath(),
                "-Ddaycare.clock.today=" + Settings.TODAY, "-Ddaycare.clock.zone=UTC",
                "-Ddaycare.admin.token=" + Settings.ADMIN_TOKEN,
                "-Ddaycare.capacity.per-day=" + Settings.CAPACITY_PER_DAY);
    }

    /** A floor: a main class of this module, same JVM flags, the application jar on the classpath. */
    public static AppProcess floor(Settings settings, String name, Class<?> mainClass, Map<String, String> properties)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(Settings.APP_JVM_FLAGS);
        command.add("-Dbench.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        return start(settings, name, command, port);
    }

    private static AppProcess start(Settings settings, String name, List<String> command, int port) throws IOException {
        Path log = settings.work.resolve("logs").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(settings.root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("DAYCARE_"));
        long started = System.nanoTime();
        Process process = builder.start();
        return new AppProcess(name, process, port, log, started);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public long startedNanos() {
        return startedNanos;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public String url(String path) {
        return uri(path).toString();
    }

    /** Waits until GET {@code path} answers 200; fails with the log's tail if the JVM died or took too long. */
    public void awaitHealthy(String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log);
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(20);
        }
        throw new IllegalStateException(name + " was not healthy within " + timeout + "; log " + log);
    }

    public void awaitHealthy() {
        awaitHealthy("/observe/health", Duration.ofSeconds(120));
    }

    /** Resident set size now, in KiB (VmRSS), or -1 when the process is gone. */
    public long rssKib() {
        return Proc.statusKib(pid(), "VmRSS");
    }

    /** Peak resident set size so far, in KiB (VmHWM). */
    public long peakRssKib() {
        return Proc.statusKib(pid(), "VmHWM");
    }

    /**
     * Waits (at most {@code max}) until the JVM is idle: less than 12% of a core over 250 ms. Called after each load
     * run, so that requests still in flight when wrk stopped (a slow query keeps running after its client left)
     * are not counted against the next run.
     */
    public void awaitIdle(Duration max) {
        if (max.isZero()) {
            return;
        }
        long deadline = System.nanoTime() + max.toNanos();
        long before = Proc.cpuTicks(pid());
        while (System.nanoTime() - deadline < 0) {
            sleep(250);
            long now = Proc.cpuTicks(pid());
            if (now < 0 || now - before <= 3) {
                return;
            }
            before = now;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM (Camel's graceful shutdown), then SIGKILL after 30 s. */
    public void stop() {
        try {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(this);
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
