package org.daycare.registration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.daycare.registration.support.ApplicationProcess;
import org.daycare.registration.support.Registrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel's own keys, as a new user sets them on the command line: {@code -Dcamel.server.port} moves the API and
 * health together; a management port of its own stops start-up with a message naming both keys.
 */
class OnePortTest {

    @TempDir
    Path dataDir;

    @Test
    void camelServerPortMovesTheApiAndHealth() throws Exception {
        try (ApplicationProcess app = ApplicationProcess.start(dataDir, Path.of("target/one-port.log"), Map.of())) {
            // the process was started with -Dcamel.server.port=<a free port> and nothing else about ports
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(app.uri("/registrations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Registrations.SUCCESS_CASE)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(app.uri("/observe/health")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(registered.statusCode()).isEqualTo(201);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(app.uri("/").getPort()).isNotEqualTo(8080);
        }
    }

    @Test
    void aManagementPortOfItsOwnStopsStartUpNamingBothKeys() throws Exception {
        Path log = Path.of("target/one-port-conflict.log");
        int port = freePort();
        Process process = ApplicationProcess.launch(dataDir, log, Map.of("camel.management.port", String.valueOf(freePort())),
                List.of(), port);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("start-up stopped").isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("camel.management.port (").contains("differs from camel.server.port (" + port + ")");
        assertThat(answers(port)).as("nothing listens on the API port").isFalse();
    }

    private static boolean answers(int port) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (Exception refused) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
