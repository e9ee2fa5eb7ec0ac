package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Executions, their history and their notifications. An execution is written at its durable points: its row is
 * inserted at the first ({@link #record}: when it starts waiting, or when it ends without waiting) and moved on at
 * each later one ({@link #advance}), each time with its new state events and one outbox row, in the transaction that
 * also holds its spots, so an outcome is never recorded without its notification or its spots, nor a notification
 * sent for an outcome that was not.
 */
public final class JdbcExecutionStore {

    private static final String SUMMARY_COLUMNS =
            "execution_id, status, state, deadline_at, source, error, cause, started_at, stopped_at";

    private final Jdbc jdbc;

    public JdbcExecutionStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * What an execution is recorded with from its start: the submitted document with its digest (see
     * DocumentDigest), the Idempotency-Key if any, and the lower-cased search columns (any may be null).
     */
    public record NewExecution(String executionId, String source, String inputDocument, String requestDigest,
            String idempotencyKey, String childLastName, String motherEmail, String fatherEmail,
            String statusTokenDigest, Instant startedAt) {
    }

    /**
     * What a durable point writes: the execution's status (and, while RUNNING, the state it waits in and its
     * deadline; stoppedAt is then null), its result document, the events since the last durable point, and one
     * notification.
     */
    public record Completion(String executionId, String status, String state, Instant deadlineAt, String error,
            String cause, String resultDocument, List<ExecutionEvent> events, Notification notification,
            Instant stoppedAt, Instant writtenAt) {
    }

    /**
     * The outbox row: what is published, exactly, and the outcome it announces (its {@code outcome} attribute: an
     * execution announces each outcome once, e.g. APPROVAL_REQUESTED, then SUCCEEDED, then CANCELLED).
     */
    public record Notification(String outcome, String subject, String attributesJson, String message) {
    }

    /** Thrown by {@link #record} when another execution already holds the idempotency key. */
    public static final class IdempotencyKeyTaken extends RuntimeException {
        public IdempotencyKeyTaken() {
            super(null, null, false, false);
        }
    }

    /** The transaction an execution runs in (see {@link StoreTransaction}). */
    public StoreTransaction newTransaction() {
        return jdbc.newTransaction();
    }

    /**
     * Writes an ended execution within its transaction: its row, its history and its outcome notification.
     *
     * @throws IdempotencyKeyTaken when another execution with the same idempotency key was recorded first (this
     *         one is then to be rolled back and answered as that one was)
     */
    public void record(StoreTransaction transaction, NewExecution execution, Completion completion) {
        try {
            transaction.attempt(connection -> {
                Jdbc.update(connection, "INSERT INTO executions (execution_id, status, state, deadline_at, source,"
                        + " input_document, request_digest, result_document, error, cause, idempotency_key, child_last_name,"
                        + " mother_email, father_email, status_token_digest, started_at, stopped_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        execution.executionId(), completion.status(), completion.state(), completion.deadlineAt(),
                        execution.source(), execution.inputDocument(), execution.requestDigest(),
                        completion.resultDocument(), completion.error(), completion.cause(), execution.idempotencyKey(),
                        execution.childLastName(), execution.motherEmail(), execution.fatherEmail(),
                        execution.statusTokenDigest(), execution.startedAt(), completion.stoppedAt());
                insertEventsAndNotification(connection, completion);
                return null;
            });
        } catch (SQLException e) {
            if (execution.idempotencyKey() != null && Jdbc.isConstraintViolation(e)) {
                throw new IdempotencyKeyTaken();
            }
            throw StoreException.of(e);
        }
    }

    /**
     * Moves a recorded execution on from the status and state it is expected to be in (RUNNING in a waiting state;
     * or SUCCEEDED, whose state is null, for a cancellation), writing its new status, result, events and
     * notification; false, and nothing written, when it is no longer there: another decision, deadline, promotion or
     * cancellation won.
     */
    public boolean advance(StoreTransaction transaction, String fromStatus, String fromState, Completion completion) {
        try {
            return transaction.attempt(connection -> {
                String set = "UPDATE executions SET status = ?, state = ?, deadline_at = ?, result_document = ?, error = ?,"
                        + " cause = ?, stopped_at = ? WHERE execution_id = ? AND status = ?";
                Object[] values = {completion.status(), completion.state(), completion.deadlineAt(),
                        completion.resultDocument(), completion.error(), completion.cause(), completion.stoppedAt(),
                        completion.executionId(), fromStatus};
                int moved = fromState == null
                        ? Jdbc.update(connection, set + " AND state IS NULL", values)
                        : Jdbc.update(connection, set + " AND state = ?", append(values, fromState));
                if (moved == 0) {
                    return false;
                }
                insertEventsAndNotification(connection, completion);
                return true;
            });
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = last;
        return all;
    }

    /**
     * A RUNNING execution waiting in {@code fromState} moves to {@code toState} with that result document, due at
     * {@code dueAt} (the deadline sweep takes it up then), writing nothing else; false when it no longer waits there.
     */
    public boolean moveWaiting(StoreTransaction transaction, String executionId, String fromState, String toState,
            String resultDocument, Instant dueAt) {
        try {
            return transaction.attempt(connection -> Jdbc.update(connection, "UPDATE executions SET state = ?,"
                    + " result_document = ?, deadline_at = ? WHERE execution_id = ? AND status = 'RUNNING' AND state = ?",
                    toState, resultDocument, dueAt, executionId, fromState) == 1);
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    /** A RUNNING execution due now, and the state it waits in. */
    public record Due(String executionId, String state) {
    }

    /** RUNNING executions whose deadline has passed, soonest first. */
    public List<Due> pastDeadline(Instant now, int limit) {
        return jdbc.read(connection -> {
            List<Due> due = new ArrayList<>();
            try (PreparedStatement statement = Jdbc.prepare(connection, "SELECT execution_id, state FROM executions"
                    + " WHERE status = 'RUNNING' AND deadline_at <= ? ORDER BY deadline_at FETCH FIRST " + limit
                    + " ROWS ONLY", now);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    due.add(new Due(rows.getString(1), rows.getString(2)));
                }
            }
            return due;
        });
    }

    /** RUNNING executions in the given state, oldest first, documents included. */
    public List<ExecutionRecord> waitingIn(String state, int limit) {
        return jdbc.read(connection -> {
            List<ExecutionRecord> waiting = new ArrayList<>();
            try (PreparedStatement statement = Jdbc.prepare(connection, "SELECT * FROM executions WHERE status = 'RUNNING'"
                    + " AND state = ? ORDER BY started_at, execution_id FETCH FIRST " + limit + " ROWS ONLY", state);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    waiting.add(full(rows));
                }
            }
            return waiting;
        });
    }

    private static void insertEventsAndNotification(Connection connection, Completion completion) throws SQLException {
        insertEvents(connection, completion.executionId(), completion.events());
        Notification notification = completion.notification();
        Jdbc.update(connection, "INSERT INTO notification_outbox (notification_id, execution_id, subject, attributes,"
                + " message, created_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                NotificationOutbox.notificationId(completion.executionId(), notification.outcome()),
                completion.executionId(), notification.subject(), notification.attributesJson(),
                notification.message(), completion.writtenAt(), completion.writtenAt());
    }

    private static void insertEvents(Connection connection, String executionId, List<ExecutionEvent> events)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO execution_events (execution_id,"
                + " sequence_number, state_name, event_type, status_code, detail, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (ExecutionEvent event : events) {
                insert.setString(1, executionId);
                insert.setInt(2, event.sequenceNumber());
                insert.setString(3, event.stateName());
                insert.setString(4, event.type().name());
                insert.setObject(5, event.statusCode());
                insert.setString(6, event.detail());
                insert.setObject(7, java.time.OffsetDateTime.ofInstant(event.occurredAt(), java.time.ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public Optional<ExecutionRecord> find(String executionId) {
        return jdbc.read(connection -> first(connection, "SELECT * FROM executions WHERE execution_id = ?", executionId));
    }

    public Optional<ExecutionRecord> findByIdempotencyKey(String idempotencyKey) {
        return jdbc.read(connection -> first(connection, "SELECT * FROM executions WHERE idempotency_key = ?", idempotencyKey));
    }

    public List<ExecutionEvent> history(String executionId) {
        return jdbc.read(connection -> {
            List<ExecutionEvent> events = new ArrayList<>();
            try (PreparedStatement statement = Jdbc.prepare(connection, "SELECT * FROM execution_events"
                    + " WHERE execution_id = ? ORDER BY sequence_number", executionId);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    events.add(new ExecutionEvent(rows.getInt("sequence_number"), rows.getString("state_name"),
                            ExecutionEvent.Type.valueOf(rows.getString("event_type")),
                            rows.getObject("status_code", Integer.class), rows.getString("detail"),
                            Jdbc.instant(rows, "occurred_at")));
                }
            }
            return events;
        });
    }

    /** Newest first, one page; the documents are left out (GET /executions/{id} has them). */
    public List<ExecutionRecord> list(ExecutionQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY_COLUMNS + " FROM executions WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (query.status() != null) {
            sql.append(" AND status = ?");
            parameters.add(query.status());
        }
        if (query.childLastName() != null) {
            sql.append(" AND child_last_name = ?");
            parameters.add(query.childLastName().strip().toLowerCase(java.util.Locale.ROOT));
        }
        if (query.parentEmail() != null) {
            String email = query.parentEmail().strip().toLowerCase(java.util.Locale.ROOT);
            sql.append(" AND (mother_email = ? OR father_email = ?)");
            parameters.add(email);
            parameters.add(email);
        }
        if (query.after() != null) {
            // "started_at <= ?" says nothing new, but it is what lets the database start reading the index at the
            // page instead of at the newest row (otherwise page N reads N pages)
            sql.append(" AND started_at <= ? AND (started_at < ? OR (started_at = ? AND execution_id < ?))");
            parameters.add(query.after().startedAt());
            parameters.add(query.after().startedAt());
            parameters.add(query.after().startedAt());
            parameters.add(query.after().executionId());
        }
        // With a status, the order starts with it (one value, so the same order): only then does H2 read the page off
        // executions_by_status instead of sorting every execution of that status (seconds with a million stored).
        sql.append(query.status() != null ? " ORDER BY status, started_at DESC, execution_id DESC"
                : " ORDER BY started_at DESC, execution_id DESC");
        sql.append(" FETCH FIRST ").append(query.limit()).append(" ROWS ONLY");
        return jdbc.read(connection -> {
            List<ExecutionRecord> page = new ArrayList<>();
            try (PreparedStatement statement = Jdbc.prepare(connection, sql.toString(), parameters.toArray());
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    page.add(summary(rows));
                }
            }
            return page;
        });
    }

    private static Optional<ExecutionRecord> first(Connection connection, String sql, Object parameter) throws SQLException {
        try (PreparedStatement statement = Jdbc.prepare(connection, sql, parameter);
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(full(rows)) : Optional.empty();
        }
    }

    private static ExecutionRecord full(ResultSet row) throws SQLException {
        return new ExecutionRecord(row.getString("execution_id"), row.getString("status"), row.getString("source"),
                row.getString("input_document"), row.getString("request_digest"), row.getString("result_document"),
                row.getString("error"), row.getString("cause"), Jdbc.instant(row, "started_at"),
                Jdbc.instant(row, "stopped_at"), row.getString("state"), Jdbc.instant(row, "deadline_at"),
                row.getString("status_token_digest"));
    }

    private static ExecutionRecord summary(ResultSet row) throws SQLException {
        return new ExecutionRecord(row.getString("execution_id"), row.getString("status"), row.getString("source"),
                null, null, null, row.getString("error"), row.getString("cause"),
                Jdbc.instant(row, "started_at"), Jdbc.instant(row, "stopped_at"), row.getString("state"),
                Jdbc.instant(row, "deadline_at"), null);
    }
}
