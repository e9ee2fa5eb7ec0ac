package org.daycare.registration.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import org.daycare.registration.support.Race;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded H2's commits through the store are in the file when they return, and concurrent ones share writes. */
class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void aCommitIsInTheFileWhenItReturnsThoughH2WouldWriteItOnlyAMinuteLater() throws Exception {
        // a write delay of a minute: nothing but the group commit writes the row out within this test
        try (HikariDataSource dataSource = Database.open(url("db", 60_000), "", "", 2, 3000)) {
            Jdbc jdbc = new Jdbc(dataSource);
            jdbc.inTransaction(connection -> Jdbc.update(connection, "CREATE TABLE t (id INT PRIMARY KEY)"));
            jdbc.inTransaction(connection -> Jdbc.update(connection, "INSERT INTO t VALUES (1)"));

            // what a killed process would leave: the file as it is now, opened by another database
            Path copy = dir.resolve("copy");
            Files.createDirectories(copy);
            Files.copy(dir.resolve("db/daycare.mv.db"), copy.resolve("daycare.mv.db"));
            try (Connection reopened = DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("daycare"), "", "");
                 Statement statement = reopened.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                rows.next();
                assertThat(rows.getInt(1)).as("the committed row, in the file copied right after the commit").isEqualTo(1);
            }
        }
    }

    @Test
    void concurrentCommitsShareWritesAndEachReturnsOnlyOnceAWriteThatBeganAfterItIsDone() throws Exception {
        try (HikariDataSource dataSource = Database.open(url("db", 500), "", "", 16, 3000)) {
            Jdbc jdbc = new Jdbc(dataSource);
            jdbc.inTransaction(connection -> Jdbc.update(connection, "CREATE TABLE t (id INT PRIMARY KEY)"));
            MVStore store = jdbc.read(GroupCommitTest::mvStoreOf);
            AtomicInteger ids = new AtomicInteger();
            int commits = 0;
            long versionBefore = store.getCurrentVersion();
            for (int round = 0; round < 10; round++) {
                List<Boolean> writtenAfterTheCommit = Race.of(16, () -> {
                    try (Connection connection = dataSource.getConnection()) {
                        connection.setAutoCommit(false);
                        Jdbc.update(connection, "INSERT INTO t VALUES (?)", ids.incrementAndGet());
                        connection.commit();
                        // the version this commit is in: a write that began before it wrote an older one
                        long version = store.getCurrentVersion();
                        GroupCommit.awaitWritten(connection);
                        boolean written = store.getFileStore().lastChunkVersion() >= version;
                        connection.setAutoCommit(true);
                        return written;
                    }
                });
                assertThat(writtenAfterTheCommit).as("round %d: each commit's version written when it returned", round)
                        .containsOnly(true);
                commits += writtenAfterTheCommit.size();
            }
            // each write of the store is a new version; WRITE_DELAY=0 (a write per commit) makes about as many
            long writes = store.getCurrentVersion() - versionBefore;
            assertThat(writes).as("writes for %d commits released 16 at a time", commits).isLessThan(commits * 3L / 4);
        }
    }

    private String url(String name, int writeDelayMillis) {
        return "jdbc:h2:file:" + dir.resolve(name).resolve("daycare") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY="
                + writeDelayMillis;
    }

    private static MVStore mvStoreOf(Connection connection) throws java.sql.SQLException {
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore();
    }
}
