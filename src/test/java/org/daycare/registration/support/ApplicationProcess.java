package org.daycare.registration.support;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.DaycareApplication;

import static org.awaitility.Awaitility.await;

/**
 * The application in a JVM of its own, for what cannot be done to an in-process one: SIGKILL and SIGTERM. It runs
 * the same main class on the test classpath, from the project root, on a free loopback port.
 */
public final class ApplicationProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private ApplicationProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The service's JVM options as operators run it, a Java argument file read by the launcher itself. */
    public static final Path PRODUCTION_JVM_OPTIONS = Path.of("config", "jvm.options").toAbsolutePath();

    public static ApplicationProcess start(Path dataDir, Path log, Map<String, String> properties) throws Exception {
        return start(dataDir, log, properties, List.of());
    }

    /** With JVM options before the test's own, e.g. {@code "@" + PRODUCTION_JVM_OPTIONS}. */
    public static ApplicationProcess start(Path dataDir, Path log, Map<String, String> properties, List<String> jvmOptions)
            throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ApplicationProcess application = new ApplicationProcess(launch(dataDir, log, properties, jvmOptions, port), port);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(application::healthy);
        return application;
    }

    /** The JVM, started and not waited for: {@code properties} come after the test's own and override them. */
    public static Process launch(Path dataDir, Path log, Map<String, String> properties, List<String> jvmOptions, int port)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                "-Dcamel.server.host=127.0.0.1", "-Dcamel.server.port=" + port, "-Ddaycare.data-dir=" + dataDir,
                "-Ddaycare.clock.today=" + RunningApplication.TODAY, "-Ddaycare.clock.zone=UTC",
                "-Ddaycare.admin.token=" + RunningApplication.ADMIN_TOKEN));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(DaycareApplication.class.getName());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public boolean healthy() throws Exception {
        return send("GET", "/observe/health", null).statusCode() == 200;
    }

    /** The answer, or empty when the process did not give one (it was stopped or killed meanwhile). */
    public Optional<HttpResponse<String>> post(String registration) {
        try {
            return Optional.of(postRegistration(registration));
        } catch (Exception noAnswer) {
            return Optional.empty();
        }
    }

    /** The answer; no answer (a refused or reset connection, a timeout) is thrown, for callers that must see it. */
    public HttpResponse<String> postRegistration(String registration) throws Exception {
        return send("POST", "/registrations", registration);
    }

    /** The status of a GET with a bearer token. */
    public int get(String path, String bearerToken) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + bearerToken).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The executionId of a confirmation, if the process answered one. */
    public Optional<String> confirmationOf(String registration) {
        return post(registration).filter(response -> response.statusCode() == 201).map(response -> {
            try {
                return JSON.readTree(response.body()).get("executionId").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        process.destroyForcibly().waitFor();
    }
}
