package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

import javax.sql.DataSource;

/**
 * One database transaction that several store calls join: an execution's reservation of spots and its record
 * (status, history, notification) commit together, once, or not at all. Nothing is written until
 * {@link #commit()}; {@link #close()} rolls back whatever was not committed and returns the connection to the pool.
 * Not thread-safe: it belongs to the one execution that opened it.
 */
public final class StoreTransaction implements AutoCloseable {

    private final Connection connection;
    private boolean committed;
    private boolean closed;

    private StoreTransaction(Connection connection) {
        this.connection = connection;
    }

    public static StoreTransaction open(DataSource dataSource) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            return new StoreTransaction(connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw StoreException.of(e);
        }
    }

    /**
     * Runs the work inside this transaction, all or nothing: when it throws, what it changed is rolled back to
     * where it started and the rest of the transaction stays as it was (a savepoint; PostgreSQL would otherwise
     * refuse every later statement of a transaction that saw an error).
     */
    <T> T attempt(Jdbc.Work<T> work) throws SQLException {
        requireOpen();
        Savepoint before = connection.setSavepoint();
        try {
            T result = work.in(connection);
            connection.releaseSavepoint(before);
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback(before);
            throw e;
        }
    }

    public void commit() {
        requireOpen();
        try {
            connection.commit();
            committed = true;
            GroupCommit.awaitWritten(connection);
        } catch (SQLException e) {
            throw StoreException.of(e);
        } finally {
            close();
        }
    }

    /** Rolls back what was not committed (nothing of it is kept) and gives the connection back; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!committed) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // a broken connection: the pool discards it on close
        } finally {
            closeQuietly(connection);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the transaction was already committed or rolled back");
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // broken connection: closing it below is all that is left to do
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // same
        }
    }
}
