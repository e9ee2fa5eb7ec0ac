package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/** Plain JDBC, one transaction per call: commit when the work returns, roll back when it throws. */
final class Jdbc {

    interface Work<T> {
        T in(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.in(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            GroupCommit.awaitWritten(connection);
            return result;
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    /** A transaction that several calls join, committed by its owner (see {@link StoreTransaction}). */
    StoreTransaction newTransaction() {
        return StoreTransaction.open(dataSource);
    }

    <T> T read(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.in(connection);
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i] instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : parameters[i];
            statement.setObject(i + 1, value);
        }
        return statement;
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** SQLSTATE class 23: integrity constraint violation (a unique key taken by a concurrent transaction). */
    static boolean isConstraintViolation(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }
}
