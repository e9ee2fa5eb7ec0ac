package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.SQLException;
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
 * it or for the next one (measured: a third fewer writes than each calling H2's write itself, which finds the
 * changes of transactions still open unsaved and writes again). PostgreSQL (which groups its commits itself), H2
 * without a write delay and H2 over TCP need nothing: {@link #awaitWritten} returns at once.
 */
final class GroupCommit {

    private static final Map<MVStore, GroupCommit> BY_STORE = new WeakHashMap<>();

    private final MVStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition written = lock.newCondition();
    /** Commits that asked to be written, and how many of the first of them are. */
    private long asked;
    private long writtenUpTo;
    private boolean writing;

    private GroupCommit(MVStore store) {
        this.store = store;
    }

    /** After {@code connection.commit()} returned: blocks until what it committed is in the database file. */
    static void awaitWritten(Connection connection) throws SQLException {
        GroupCommit group = of(connection);
        if (group != null) {
            group.awaitWritten();
        }
    }

    private static GroupCommit of(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return null;
        }
        MVStore store = session.getDatabase().getStore().getMvStore();
        if (store.getFileStore() == null || store.getAutoCommitDelay() == 0) {
            return null; // in memory, or every commit written by H2 itself
        }
        synchronized (BY_STORE) {
            return BY_STORE.computeIfAbsent(store, GroupCommit::new);
        }
    }

    private void awaitWritten() {
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
                    store.commit();
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
}
