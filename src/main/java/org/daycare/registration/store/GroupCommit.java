package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Group commit for the embedded H2. With a write delay, H2 keeps commits in memory and writes them out in the
 * background; a commit made through the store then waits here until a write that began after it has finished, so
 * that an answered registration survives a killed process, as with WRITE_DELAY=0. The difference: concurrent
 * commits share one write (the pages they all change, the chunk's header and metadata, serialized once), where
 * WRITE_DELAY=0 writes once per commit. One commit leads, writing everything committed so far; the others wait for
 * it or for the next one (measured: a quarter fewer writes than each calling H2's write itself, which finds the
 * changes of transactions still open unsaved and writes again). "Written" means handed to the file system, as with
 * WRITE_DELAY=0: it survives the process, not the machine. PostgreSQL (which groups its commits itself), H2 without
 * a write delay, in memory or over TCP need nothing: {@link #awaitWritten} returns at once.
 */
final class GroupCommit {

    /** One per open database; an entry goes with its store (the value holds no reference to it). */
    private static final Map<MVStore, GroupCommit> BY_STORE = Collections.synchronizedMap(new WeakHashMap<>());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    /** Commits that asked to be written, and how many of the first of them are. */
    private long asked;
    private long writtenUpTo;
    private boolean writing;

    private GroupCommit() {
    }

    /**
     * After {@code connection.commit()} returned (or an auto-commit statement): blocks until what it committed is in
     * the database file.
     *
     * @throws SQLException the write failed (H2 then closes its store): the commit must not be answered as stored
     */
    static void awaitWritten(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return;
        }
        MVStore store = session.getDatabase().getStore().getMvStore();
        if (store.getFileStore() == null || store.getAutoCommitDelay() == 0) {
            return; // in memory, or every commit written by H2 itself
        }
        try {
            BY_STORE.computeIfAbsent(store, any -> new GroupCommit()).awaitWritten(store);
        } catch (RuntimeException e) {
            throw new SQLException("the commit could not be written to the database file", "HY000", e);
        }
    }

    private void awaitWritten(MVStore store) {
        lock.lock();
        try {
            long ticket = ++asked;
            while (writtenUpTo < ticket) {
                if (writing) {
                    written.awaitUninterruptibly();
                    continue;
                }
                // lead: one write covers every commit that asked before it began
                writing = true;
                long covers = asked;
                boolean done = false;
                lock.unlock();
                try {
                    write(store);
                    done = true;
                } finally {
                    lock.lock();
                    writing = false;
                    if (done) {
                        writtenUpTo = Math.max(writtenUpTo, covers);
                    }
                    written.signalAll(); // on failure, the next waiter leads a write of its own
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static void write(MVStore store) {
        // H2's executors skip their waits on an interrupted thread: the write would return before it is done
        boolean interrupted = Thread.interrupted();
        try {
            store.commit();
            // H2's background writer may have taken these changes already and handed the chunk to its save
            // thread: then commit() finds nothing unsaved and returns at once. This waits for any such chunk.
            store.executeFilestoreOperation(() -> { });
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
