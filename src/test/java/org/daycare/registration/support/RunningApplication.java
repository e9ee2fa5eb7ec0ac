package org.daycare.registration.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.daycare.registration.DaycareApplication;

/**
 * The whole application, started in-process exactly as {@code java -jar} starts it (same Main, same
 * config/application.properties, same routes/ directory), with a data directory and a free loopback port of
 * the test's own, and today pinned to the spec's worked-examples date.
 */
public final class RunningApplication implements AutoCloseable {

    public static final String TODAY = "2026-11-25";
    public static final String ADMIN_TOKEN = "test-admin-token";

    private final Main main;
    private final int port;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private RunningApplication(Main main, int port, Path dataDir) {
        this.main = main;
        this.port = port;
        this.dataDir = dataDir;
    }

    public static RunningApplication start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public static RunningApplication start(Path dataDir, Map<String, String> overrides) {
        int port = freePort();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("camel.server.host", "127.0.0.1");
        properties.put("camel.server.port", String.valueOf(port));
        properties.put("daycare.data-dir", dataDir.toString());
        properties.put("daycare.clock.zone", "UTC");
        properties.put("daycare.clock.today", TODAY);
        properties.put("daycare.admin.token", ADMIN_TOKEN);
        // Tests drop complete files, so they need not wait long for the read lock.
        properties.put("daycare.inbox.min-age", "100");
        properties.put("daycare.inbox.check-interval", "50");
        properties.put("daycare.inbox.poll-delay", "100");
        properties.putAll(overrides);
        Main main = DaycareApplication.newMain();
        properties.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("the application did not start", e);
        }
        return new RunningApplication(main, port, dataDir);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Path dataDir() {
        return dataDir;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> postRegistration(String body) {
        return send(HttpRequest.newBuilder(uri("/registrations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A GET of an admin endpoint, with the admin token. */
    public HttpResponse<String> admin(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        main.stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
