package org.daycare.registration.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * A finished execution and its notification, written straight into the tables as the execution store writes them
 * (the executions row first, for the outbox's foreign key; one commit), so that outbox tests can set up due, later
 * and already sent notifications at the instants they need.
 *
 * @param status        the execution's status ({@code SUCCEEDED} or {@code FAILED})
 * @param error         the execution's error name, null on success
 * @param subject       the notification's SNS subject
 * @param attributes    the notification's message attributes, as the JSON object the store keeps
 * @param message       the notification's message, also stored as the execution's result document
 * @param nextAttemptAt when the notification is due
 * @param sentAt        when it was published, null while pending
 */
public record OutboxRow(String executionId, String status, String error, String subject, String attributes,
        String message, Instant createdAt, Instant nextAttemptAt, Instant sentAt) {

    /** A pending notification of a finished execution, due at {@code nextAttemptAt}. */
    public static OutboxRow pending(String executionId, String status, String error, String subject, String attributes,
            String message, Instant createdAt, Instant nextAttemptAt) {
        return new OutboxRow(executionId, status, error, subject, attributes, message, createdAt, nextAttemptAt, null);
    }

    public OutboxRow sentAt(Instant sent) {
        return new OutboxRow(executionId, status, error, subject, attributes, message, createdAt, nextAttemptAt, sent);
    }

    public void insertInto(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO executions (execution_id, status, source,"
                    + " input_document, result_document, error, started_at, stopped_at)"
                    + " VALUES (?, ?, 'test', '{}', ?, ?, ?, ?)")) {
                s.setString(1, executionId);
                s.setString(2, status);
                s.setString(3, message);
                s.setString(4, error);
                s.setObject(5, utc(createdAt));
                s.setObject(6, utc(createdAt));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO notification_outbox (execution_id, subject,"
                    + " attributes, message, created_at, attempts, next_attempt_at, sent_at)"
                    + " VALUES (?, ?, ?, ?, ?, 0, ?, ?)")) {
                s.setString(1, executionId);
                s.setString(2, subject);
                s.setString(3, attributes);
                s.setString(4, message);
                s.setObject(5, utc(createdAt));
                s.setObject(6, utc(nextAttemptAt));
                s.setObject(7, sentAt == null ? null : utc(sentAt));
                s.executeUpdate();
            }
            c.commit();
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
