package org.daycare.registration.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL of one test's own (not the shared {@link PostgresServer}), for tests that stop the
 * database under a running application and start it again: same data directory, same port.
 */
public final class StandalonePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private StandalonePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    public static StandalonePostgres start(Path dataDirectory) throws IOException {
        StandalonePostgres postgres = new StandalonePostgres(dataDirectory, freePort());
        postgres.restart();
        return postgres;
    }

    /** The application's settings for this database. */
    public java.util.Map<String, String> settings() {
        return java.util.Map.of("daycare.db.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "daycare.db.user", PostgresServer.USER, "daycare.db.password", PostgresServer.PASSWORD);
    }

    public void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public void restart() throws IOException {
        File log = new File("target/standalone-postgres.log");
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setRegisterShutdownHook(false)
                .start();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
