package org.daycare.registration.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The notification outbox (table {@code notification_outbox}): rows are written with the execution's outcome, in
 * its transaction, and drained from here by the publisher. An execution announces several outcomes (e.g.
 * APPROVAL_REQUESTED, then SUCCEEDED), each once: a row is identified by its {@code notification_id}
 * ({@link #notificationId}), never by its execution id. A row is pending while {@code sent_at} is null and due once
 * {@code next_attempt_at} has passed.
 *
 * <p>Portable SQL only (H2 2.3 and PostgreSQL 17): no {@code RETURNING}, no {@code ON CONFLICT}, no
 * {@code SKIP LOCKED}. Claiming is a plain SELECT followed, per row, by a compare-and-set UPDATE on the
 * {@code next_attempt_at} value that was read: of several instances that read the same due row, exactly one
 * gets update count 1 (the others' UPDATE finds the row moved on, or waits for its lock and then finds it moved
 * on), so only that one publishes it until its lease ends.
 *
 * <p>"Now" comes from the given clock, the same clock that writes {@code created_at} / {@code next_attempt_at}.
 */
public final class NotificationOutbox {

    /** The width of {@code last_error}. */
    static final int MAX_ERROR_LENGTH = 500;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> ATTRIBUTES = new TypeReference<>() {
    };

    /**
     * One notification waiting to be published, identified by {@code notificationId}; {@code attempts} counts the
     * failed attempts so far.
     */
    public record PendingNotification(String notificationId, String executionId, String subject,
            Map<String, String> attributes, String message, int attempts) {

        public PendingNotification {
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }
    }

    /**
     * The id of the notification announcing {@code outcome} for the execution: unique per execution and outcome, and
     * a valid SNS PublishBatch entry id ([A-Za-z0-9_-], at most 80 characters) as execution ids are UUIDs.
     */
    public static String notificationId(String executionId, String outcome) {
        return executionId + "_" + outcome;
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration backoffBase;
    private final Duration backoffCap;

    public NotificationOutbox(DataSource dataSource, Clock clock, Duration backoffBase, Duration backoffCap) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoff base must be > 0 and <= cap: " + backoffBase + ", " + backoffCap);
        }
        this.backoffBase = backoffBase;
        this.backoffCap = backoffCap;
    }

    /**
     * Claims up to {@code max} due, unsent rows, soonest due first: each is leased by moving its
     * {@code next_attempt_at} to now + {@code lease}, so no other drainer (this or another instance) takes it
     * again until the lease ends. Only rows whose conditional update counted 1 are returned. A row that is neither
     * marked sent nor rescheduled (the process died) becomes due again when its lease ends.
     */
    public List<PendingNotification> claimDue(int max, Duration lease) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1: " + max);
        }
        Instant now = clock.instant();
        OffsetDateTime leasedUntil = at(now.plus(lease));
        // max is an int, so inlining it is safe; FETCH FIRST is the standard form both databases accept.
        // Due order, exactly the index notification_outbox_pending (sent_at, next_attempt_at): the claim reads only
        // the rows it returns, whatever the backlog. A new row is due when it is created, so that is oldest first.
        String select = "SELECT notification_id, execution_id, subject, attributes, message, attempts, next_attempt_at"
                + " FROM notification_outbox WHERE sent_at IS NULL AND next_attempt_at <= ?"
                + " ORDER BY sent_at, next_attempt_at FETCH FIRST " + max + " ROWS ONLY";
        String claim = "UPDATE notification_outbox SET next_attempt_at = ?"
                + " WHERE notification_id = ? AND sent_at IS NULL AND next_attempt_at = ?";
        try (Connection connection = dataSource.getConnection()) {
            // all the claims of one batch in one transaction: one commit instead of one per row
            connection.setAutoCommit(false);
            List<Candidate> candidates = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(select)) {
                statement.setObject(1, at(now));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        candidates.add(new Candidate(rows.getString("notification_id"), rows.getString("execution_id"),
                                rows.getString("subject"), rows.getString("attributes"), rows.getString("message"),
                                rows.getInt("attempts"), rows.getObject("next_attempt_at", OffsetDateTime.class)));
                    }
                }
            }
            List<PendingNotification> claimed = new ArrayList<>(candidates.size());
            List<Candidate> unreadable = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(claim)) {
                for (Candidate candidate : candidates) {
                    statement.setObject(1, leasedUntil);
                    statement.setString(2, candidate.notificationId());
                    statement.setObject(3, candidate.nextAttemptAt());
                    if (statement.executeUpdate() != 1) {
                        continue; // another drainer claimed (or sent) it first
                    }
                    Map<String, String> attributes = parseAttributes(candidate.attributes());
                    if (attributes == null) {
                        // cannot be published as it is; rescheduled with backoff rather than blocking the queue head
                        unreadable.add(candidate);
                        continue;
                    }
                    claimed.add(new PendingNotification(candidate.notificationId(), candidate.executionId(),
                            candidate.subject(), attributes, candidate.message(), candidate.attempts()));
                }
            }
            connection.commit();
            connection.setAutoCommit(true);
            for (Candidate candidate : unreadable) {
                retryLater(candidate.notificationId(), "attributes column is not a JSON object of strings",
                        candidate.attempts() + 1);
            }
            return claimed;
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    /** Marks the notifications published in one statement; rows already marked stay as they are. */
    public int markSent(java.util.Collection<String> notificationIds) {
        if (notificationIds.isEmpty()) {
            return 0;
        }
        String placeholders = String.join(",", java.util.Collections.nCopies(notificationIds.size(), "?"));
        Object[] parameters = new Object[notificationIds.size() + 1];
        parameters[0] = at(clock.instant());
        int i = 1;
        for (String notificationId : notificationIds) {
            parameters[i++] = notificationId;
        }
        return update("UPDATE notification_outbox SET sent_at = ? WHERE sent_at IS NULL AND notification_id IN ("
                + placeholders + ")", parameters);
    }

    /** Marks the notification published; a row already marked (by a drainer whose lease overlapped) stays as it is. */
    public boolean markSent(String notificationId) {
        return update("UPDATE notification_outbox SET sent_at = ? WHERE notification_id = ? AND sent_at IS NULL",
                at(clock.instant()), notificationId) == 1;
    }

    /**
     * Reschedules a notification whose publication failed: {@code attempts} is the number of failed attempts
     * including this one (the claimed row's {@code attempts() + 1}), and the next attempt is due after
     * {@link #backoff(int)} of it. The error is kept, cut to 500 characters, in {@code last_error}. A row that
     * was marked sent meanwhile is left alone.
     */
    public boolean retryLater(String notificationId, String error, int attempts) {
        Instant next = clock.instant().plus(backoff(attempts));
        return update("UPDATE notification_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?"
                + " WHERE notification_id = ? AND sent_at IS NULL",
                attempts, at(next), truncate(error), notificationId) == 1;
    }

    /** The delay before attempt {@code attempts + 1}: base, 2 x base, 4 x base, ... capped. */
    public Duration backoff(int attempts) {
        int doublings = Math.max(0, attempts - 1);
        if (doublings >= 62) {
            return backoffCap;
        }
        long baseMillis = backoffBase.toMillis();
        long factor = 1L << doublings;
        if (baseMillis > backoffCap.toMillis() / factor) {
            return backoffCap;
        }
        return Duration.ofMillis(baseMillis * factor);
    }

    /** Notifications not yet published, due or not. */
    public long countPending() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*) FROM notification_outbox WHERE sent_at IS NULL");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    /** How many notifications wait to be published, and when the oldest of them was written (null: none waits). */
    public record Backlog(long pending, Instant oldestCreatedAt) {
    }

    /**
     * The backlog, for the metrics: one query on the pending rows, found through the index notification_outbox_pending
     * (sent rows, however many, are not read).
     */
    public Backlog backlog() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT COUNT(*), MIN(created_at) FROM notification_outbox WHERE sent_at IS NULL");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            OffsetDateTime oldest = rows.getObject(2, OffsetDateTime.class);
            return new Backlog(rows.getLong(1), oldest == null ? null : oldest.toInstant());
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    private int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                int updated = statement.executeUpdate();
                // a notification marked sent stays so after a kill: only a crash before this returns repeats it
                GroupCommit.awaitWritten(connection);
                return updated;
            }
        } catch (SQLException e) {
            throw StoreException.of(e);
        }
    }

    /** The attributes as written by the execution store, or null when they are not a JSON object of strings. */
    private static Map<String, String> parseAttributes(String json) {
        try {
            Map<String, String> attributes = JSON.readValue(json, ATTRIBUTES);
            return attributes == null || attributes.containsValue(null) ? null : attributes;
        } catch (Exception e) {
            return null;
        }
    }

    private static String truncate(String error) {
        String text = error == null || error.isBlank() ? "unknown error" : error;
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private record Candidate(String notificationId, String executionId, String subject, String attributes,
            String message, int attempts, OffsetDateTime nextAttemptAt) {
    }
}
