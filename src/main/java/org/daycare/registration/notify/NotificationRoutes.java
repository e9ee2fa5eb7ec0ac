package org.daycare.registration.notify;

import org.apache.camel.builder.RouteConfigurationBuilder;

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
 * subscribers deduplicate on the {@code executionId} and {@code outcome} attributes.
 * The drainer, its destination and the SNS client are made in {@code DaycareConfiguration}.
 */
public class NotificationRoutes extends RouteConfigurationBuilder {

    public static final String DRAIN_ROUTE = "drain-notification-outbox";
    /**
     * One PublishBatch to the topic: in, a {@code List<PublishBatchRequestEntry>} of 1 to 10 entries; out, the
     * {@code PublishBatchResponse} with each entry's result. Only when a topic is configured.
     */
    public static final String PUBLISH_TO_SNS = "direct:publish-to-sns";
    static final String PUBLISH_ROUTE = "publish-to-sns";
    private static final String ERRORS = "notification-errors";

    @Override
    public void configuration() {
        // The drainer handles every failure itself: a failed PublishBatch goes back to it as an exception, and it
        // reschedules the entries with backoff. No error handler, so Camel neither retries nor logs the exchange
        // (its body holds personal data).
        routeConfiguration(ERRORS).errorHandler(noErrorHandler());
    }

    @Override
    public void configure() {
        // fixedRate=false: the next poll is scheduled after the previous one ended, so polls never overlap or pile up
        // behind a slow SNS.
        from("timer:notification-outbox?fixedRate=false&delay={{daycare.notify.poll-ms}}&period={{daycare.notify.poll-ms}}")
                .routeId(DRAIN_ROUTE)
                .routeConfigurationId(ERRORS)
                .bean("outboxDrainer", "drain");

        // The client is the snsClient bean (made once, closed at shutdown). Given an ARN the endpoint starts without
        // calling SNS: it lists topics only for a topic name, creates one only with autoCreateTopic, and changes
        // nothing without policy or subscribeSNStoSQS.
        from(PUBLISH_TO_SNS)
                .routeId(PUBLISH_ROUTE)
                .precondition("'{{daycare.sns.topic-arn}}' != ''")
                .routeConfigurationId(ERRORS)
                .to("aws2-sns:{{daycare.sns.topic-arn}}?amazonSNSClient=#snsClient&batchEnabled=true&autoCreateTopic=false");
    }
}
