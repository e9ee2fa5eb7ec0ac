package org.daycare.registration.notify;

import org.apache.camel.builder.RouteBuilder;

/**
 * Drains the notification outbox: every {@code daycare.notify.poll-ms} a timer claims the due notifications (up to
 * 50 at a time; more claims follow in the same poll while full ones come back) and publishes them to the SNS topic
 * when {@code daycare.sns.topic-arn} is set, else appends them to {@code {{daycare.notifications}}/outcomes.jsonl}.
 * Each is marked sent only once its destination accepted it; any other outcome reschedules it with exponential
 * backoff ({@code daycare.notify.retry-base-ms} doubling up to {@code daycare.notify.retry-max-ms}), forever, so a
 * notification written with its outcome is never lost.
 *
 * <p>The timer has its own thread, so a slow or absent SNS (or database) delays notifications, never a
 * registration; start-up makes no call to SNS. Delivery is at-least-once (see {@link SnsNotificationPublisher}):
 * subscribers deduplicate on the {@code executionId} attribute.
 * The drainer and its destination are made in {@code DaycareConfiguration}.
 */
public class NotificationRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // fixedRate=false: the next poll is scheduled after the previous one ended, so polls never overlap or pile up
        // behind a slow SNS. The drainer handles every failure itself; the exchange carries no personal data anyway.
        from("timer:notification-outbox?fixedRate=false&delay={{daycare.notify.poll-ms}}&period={{daycare.notify.poll-ms}}")
                .routeId("drain-notification-outbox")
                .errorHandler(noErrorHandler())
                .bean("outboxDrainer", "drain");
    }
}
