package org.daycare.registration.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import org.daycare.registration.store.NotificationOutbox;

/**
 * A finished execution and its notification, written straight into the tables as the execution store writes them
 * (the executions row first, for the outbox's foreign key, unless an earlier row of the same execution wrote it; one
 * commit), so that outbox tests can set up due, later and already sent notifications at the instants they need.
 *
 * @param status        the execution's status ({@code SUCCEEDED}, {@code FAILED}, or {@code RUNNING} while it waits)
 * @param error         the execution's error name, null on success
 * @param outcome       the outcome the notification announces (its {@code outcome} attribute): the status unless
 *                      {@link #announcing} says otherwise (e.g. {@code APPROVAL_REQUESTED} before the end)
 * @param subject       the notification's SNS subject
 * @param attributes    the notification's message attributes, as the JSON object the store keeps
 * @param message       the notification's message, also stored as the execution's result document
 * @param nextAttemptAt when the notification is due
 * @param sentAt        when it was published, null while pending
 */
public record OutboxRow(String executionId, String status, String error, String outcome, String subject,
        String attributes, String message, Instant createdAt, Instant nextAttemptAt, Instant sentAt) {

    /** A pending notification announcing the end of a finished execution, due at {@code nextAttemptAt}. */
    public static OutboxRow pending(String executionId, String status, String error, String subject, String attributes,
            String message, Instant createdAt, Instant nextAttemptAt) {
        return new OutboxRow(executionId, status, error, status, subject, attributes, message, createdAt, nextAttemptAt,
                null);
    }

    public OutboxRow sentAt(Instant sent) {
        return new OutboxRow(executionId, status, error, outcome, subject, attributes, message, createdAt, nextAttemptAt,
                sent);
    }

    /** The same row announcing another outcome of the execution (its attributes are the caller's to match). */
    public OutboxRow announcing(String otherOutcome) {
        return new OutboxRow(executionId, status, error, otherOutcome, subject, attributes, message, createdAt,
                nextAttemptAt, sentAt);
    }

    /** The row's key, as the execution store writes it. */
    public String notificationId() {
        return NotificationOutbox.notificationId(executionId, outcome);
    }

    public void insertInto(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (!executionExists(c)) {
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
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO notification_outbox (notification_id,"
                    + " execution_id, subject, attributes, message, created_at, attempts, next_attempt_at, sent_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
                s.setString(1, notificationId());
                s.setString(2, executionId);
                s.setString(3, subject);
                s.setString(4, attributes);
                s.setString(5, message);
                s.setObject(6, utc(createdAt));
                s.setObject(7, utc(nextAttemptAt));
                s.setObject(8, sentAt == null ? null : utc(sentAt));
                s.executeUpdate();
            }
            c.commit();
        }
    }

    private boolean executionExists(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM executions WHERE execution_id = ?")) {
            s.setString(1, executionId);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
