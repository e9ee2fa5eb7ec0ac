package org.daycare.registration.notify;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.daycare.registration.store.NotificationOutbox.PendingNotification;

/** Where drained outbox notifications go: the SNS topic, or the local notifications log. */
public interface NotificationPublisher extends AutoCloseable {

    /**
     * The SNS topic when one is configured (blank ARN: none), through the route {@link NotificationRoutes#PUBLISH_TO_SNS}
     * of this Camel context (which exists only then), else the local notifications log in the directory.
     */
    static NotificationPublisher to(String topicArn, CamelContext camel, Path notificationsDirectory,
            ObjectMapper json, Clock clock) {
        return topicArn.isBlank()
                ? new NotificationsLogPublisher(notificationsDirectory, json, clock)
                : new SnsNotificationPublisher(camel.createProducerTemplate());
    }

    /** Releases what the publisher holds; nothing by default. */
    @Override
    default void close() {
    }

    /**
     * Publishes the notifications and answers, for every notification id of the batch, {@code null} when that
     * notification was accepted or the reason it was not. May also throw, meaning none of them is known to be
     * accepted; the caller then retries all of them later.
     */
    Map<String, String> publish(List<PendingNotification> batch) throws Exception;

    /** For the logs: "SNS" or "the notifications log". */
    String destination();
}
