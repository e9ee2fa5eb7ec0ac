package org.daycare.registration.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.noop.NoopCounter;
import org.daycare.registration.store.NotificationOutbox;
import org.daycare.registration.store.NotificationOutbox.PendingNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of the outbox: claim what is due (50 at a time), publish it (PublishBatch calls of at most 10, the SNS
 * maximum), then mark each notification sent or reschedule it with backoff, entry by entry. Runs on the timer route's own thread, never on
 * a registration's; nothing it meets (database or SNS down, a refused entry) is thrown out of it.
 *
 * <p>Notifications are identified by their notification id (execution id and outcome: an execution announces
 * several outcomes). Logs carry those ids, counts and error texts from SNS or the database only, never a subject's
 * registration or a message body (they hold personal data).
 */
public final class OutboxDrainer implements AutoCloseable {

    /**
     * Claiming and marking sent cost a commit each, whatever the count: 50 per claim (five PublishBatch calls)
     * makes that two commits per 50 notifications, and keeps a claim's publishing well within a lease.
     */
    public static final int CLAIM_SIZE = 50;
    /**
     * How long one poll keeps claiming while full claims keep coming back, so that a backlog drains back to back
     * (bounded, so that the timer thread comes up for air well within a lease).
     */
    static final Duration POLL_BUDGET = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDrainer.class);

    private final NotificationOutbox outbox;
    private final NotificationPublisher publisher;
    private final Duration lease;
    /** daycare_notifications_publish_failures_total: one per notification per failed attempt. */
    private final Counter publishFailures;
    private volatile boolean outboxUnavailable;
    private volatile boolean pendingReported;

    public OutboxDrainer(NotificationOutbox outbox, NotificationPublisher publisher, Duration lease, Counter publishFailures) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.lease = lease;
        this.publishFailures = publishFailures;
    }

    /** A drainer whose failures are counted nowhere (tests and benchmarks of the drain alone). */
    public OutboxDrainer(NotificationOutbox outbox, NotificationPublisher publisher, Duration lease) {
        this(outbox, publisher, lease, new NoopCounter(new Meter.Id("uncounted", Tags.empty(), null, null, Meter.Type.COUNTER)));
    }

    /** Drains what is due now; answers how many notifications were published. */
    public int drain() {
        int published = 0;
        long deadline = System.nanoTime() + POLL_BUDGET.toNanos();
        while (System.nanoTime() < deadline) {
            List<PendingNotification> claimed;
            try {
                if (!pendingReported) {
                    long pending = outbox.countPending();
                    pendingReported = true;
                    if (pending > 0) {
                        LOG.info("{} notification(s) waiting in the outbox at start-up", pending);
                    }
                }
                claimed = outbox.claimDue(CLAIM_SIZE, lease);
                if (outboxUnavailable) {
                    outboxUnavailable = false;
                    LOG.info("Notification outbox reachable again");
                }
            } catch (RuntimeException e) {
                if (!outboxUnavailable) {
                    outboxUnavailable = true;
                    LOG.warn("Notification outbox unreachable, notifications wait: {}", SnsNotificationPublisher.describe(e));
                }
                return published;
            }
            if (claimed.isEmpty()) {
                return published;
            }
            int sent = publishAndRecord(claimed);
            published += sent;
            if (sent < claimed.size() || claimed.size() < CLAIM_SIZE) {
                return published; // a failure (wait for the backoff) or nothing more due
            }
        }
        return published;
    }

    private int publishAndRecord(List<PendingNotification> claimed) {
        Map<String, String> results;
        try {
            results = publisher.publish(claimed);
        } catch (Exception e) {
            results = null;
            String error = SnsNotificationPublisher.describe(e);
            for (PendingNotification notification : claimed) {
                reschedule(notification, error);
            }
            LOG.warn("{} notification(s) not published to {} ({}), retried later: {}", claimed.size(),
                    publisher.destination(), ids(claimed), error);
            return 0;
        }
        List<String> sent = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        String firstError = null;
        for (PendingNotification notification : claimed) {
            String error = results.containsKey(notification.notificationId())
                    ? results.get(notification.notificationId())
                    : "no result from the publisher";
            if (error == null) {
                sent.add(notification.notificationId());
            } else {
                reschedule(notification, error);
                failed.add(notification.notificationId() + " (attempt " + (notification.attempts() + 1) + ")");
                firstError = firstError == null ? error : firstError;
            }
        }
        if (!sent.isEmpty()) {
            markSent(sent);
            LOG.debug("Published {} notification(s) to {}: {}", sent.size(), publisher.destination(), sent);
        }
        if (!failed.isEmpty()) {
            LOG.warn("{} notification(s) not published to {}, retried later: {}; first error: {}",
                    failed.size(), publisher.destination(), failed, firstError);
        }
        return sent.size();
    }

    private void markSent(List<String> notificationIds) {
        try {
            outbox.markSent(notificationIds);
        } catch (RuntimeException e) {
            // they were published: when their lease ends they are published again (at-least-once)
            LOG.warn("Notifications {} published but not marked sent; they will be published again: {}",
                    notificationIds, SnsNotificationPublisher.describe(e));
        }
    }

    /** Every notification whose publication failed comes here, once per attempt. */
    private void reschedule(PendingNotification notification, String error) {
        publishFailures.increment();
        try {
            outbox.retryLater(notification.notificationId(), error, notification.attempts() + 1);
        } catch (RuntimeException e) {
            // still claimed: it becomes due again when its lease ends
            LOG.warn("Notification {} could not be rescheduled; retried when its lease ends: {}",
                    notification.notificationId(), SnsNotificationPublisher.describe(e));
        }
    }

    private static List<String> ids(List<PendingNotification> notifications) {
        return notifications.stream().map(PendingNotification::notificationId).toList();
    }

    /** At shutdown: closes the publisher (the SNS client is a bean of its own, closed by the registry). */
    @Override
    public void close() {
        publisher.close();
    }
}
