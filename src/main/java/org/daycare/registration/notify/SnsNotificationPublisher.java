package org.daycare.registration.notify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.daycare.registration.store.NotificationOutbox.PendingNotification;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

/**
 * Publishes outbox notifications to the SNS topic through the SnsClient it is built with (and closes): one
 * {@code Publish} for a single notification, {@code PublishBatch} (at most 10 entries and 256 KiB together, as
 * SNS requires) when more are waiting.
 *
 * <p>Why the SDK client and not the camel-aws2-sns endpoint: in 4.17 its {@code batchEnabled} mode only passes a
 * ready-made {@code List<PublishBatchRequestEntry>} through to {@code SnsClient.publishBatch} and puts the
 * {@code PublishBatchResponse} in the body, and a second endpoint would be needed for single publishes, whose
 * message attributes it derives from every String header (the reason the old route had to strip headers). So the
 * component would add nothing but indirection between the outbox rows and the per-entry results that decide which
 * row is marked sent; calling the client directly keeps the request (exactly the three String attributes, the
 * subject, the message) and its per-entry outcome in one place. The client's own {@code apiCallTimeout}
 * ({@code daycare.sns.timeout-ms}) bounds every call.
 *
 * <p>Delivery is at-least-once: a notification is published again when its row could not be marked sent after SNS
 * accepted it (crash, database error, timeout after acceptance, or a lease that ran out). The topic is a standard
 * topic, so no MessageDeduplicationId is sent; the {@code executionId} attribute (also in the message) is the
 * stable id subscribers deduplicate on.
 */
final class SnsNotificationPublisher implements NotificationPublisher {

    /** SNS limits: 10 entries per PublishBatch, 256 KiB per message and per batch (message body plus attributes). */
    static final int MAX_BATCH_ENTRIES = 10;
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    private final SnsClient sns;
    private final String topicArn;

    SnsNotificationPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String destination() {
        return "SNS";
    }

    @Override
    public Map<String, String> publish(List<PendingNotification> batch) {
        Map<String, String> results = new LinkedHashMap<>();
        List<List<PendingNotification>> chunks = chunks(batch);
        String unreachable = null;
        for (List<PendingNotification> chunk : chunks) {
            if (unreachable != null) {
                // SNS just failed as a whole: do not spend the lease waiting for it again in this round
                for (PendingNotification notification : chunk) {
                    results.put(notification.executionId(), "not attempted after: " + unreachable);
                }
                continue;
            }
            try {
                results.putAll(chunk.size() == 1 ? publishOne(chunk.get(0)) : publishBatch(chunk));
            } catch (RuntimeException e) {
                // the call failed as a whole: none of the chunk is known to be published
                String error = describe(e);
                for (PendingNotification notification : chunk) {
                    results.put(notification.executionId(), error);
                }
                if (isUnavailable(e)) {
                    unreachable = error;
                }
            }
        }
        return results;
    }

    private Map<String, String> publishOne(PendingNotification notification) {
        sns.publish(request -> request
                .topicArn(topicArn)
                .subject(notification.subject())
                .message(notification.message())
                .messageAttributes(attributes(notification)));
        Map<String, String> result = new LinkedHashMap<>();
        result.put(notification.executionId(), null);
        return result;
    }

    private Map<String, String> publishBatch(List<PendingNotification> chunk) {
        // Entry ids only need to be unique within the request: the position in the chunk.
        List<PublishBatchRequestEntry> entries = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            PendingNotification notification = chunk.get(i);
            entries.add(PublishBatchRequestEntry.builder()
                    .id("n" + i)
                    .subject(notification.subject())
                    .message(notification.message())
                    .messageAttributes(attributes(notification))
                    .build());
        }
        PublishBatchResponse response = sns.publishBatch(request -> request
                .topicArn(topicArn)
                .publishBatchRequestEntries(entries));
        Map<String, String> results = new LinkedHashMap<>();
        // an entry SNS says nothing about is not known to be published
        chunk.forEach(n -> results.put(n.executionId(), "no result for this entry in the PublishBatch response"));
        for (PublishBatchResultEntry ok : response.successful()) {
            PendingNotification notification = entryOf(chunk, ok.id());
            if (notification != null) {
                results.put(notification.executionId(), null);
            }
        }
        for (BatchResultErrorEntry failed : response.failed()) {
            PendingNotification notification = entryOf(chunk, failed.id());
            if (notification != null) {
                results.put(notification.executionId(), "PublishBatch entry failed: " + failed.code()
                        + (Boolean.TRUE.equals(failed.senderFault()) ? " (sender fault)" : "")
                        + (failed.message() == null ? "" : ": " + failed.message()));
            }
        }
        return results;
    }

    /** Exactly the attributes of the outbox row (outcome, executionId and, on failures, error), all of type String. */
    private static Map<String, MessageAttributeValue> attributes(PendingNotification notification) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        notification.attributes().forEach((name, value) -> attributes.put(name,
                MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        return attributes;
    }

    /**
     * SNS could not be reached or could not take requests (no answer, timeout, throttling, 5xx), as opposed to a
     * refusal of this request's content (e.g. a message over 256 KiB), which says nothing about the next chunk.
     */
    static boolean isUnavailable(RuntimeException e) {
        if (e instanceof AwsServiceException service) {
            return service.statusCode() >= 500 || service.isThrottlingException();
        }
        return e instanceof SdkClientException;
    }

    private static PendingNotification entryOf(List<PendingNotification> chunk, String id) {
        if (id == null || !id.startsWith("n")) {
            return null;
        }
        try {
            int index = Integer.parseInt(id.substring(1));
            return index >= 0 && index < chunk.size() ? chunk.get(index) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** In order, at most 10 notifications and 256 KiB each; an oversized one goes alone (and SNS refuses it alone). */
    static List<List<PendingNotification>> chunks(List<PendingNotification> batch) {
        List<List<PendingNotification>> chunks = new ArrayList<>();
        List<PendingNotification> current = new ArrayList<>();
        long currentBytes = 0;
        for (PendingNotification notification : batch) {
            long bytes = payloadBytes(notification);
            if (!current.isEmpty() && (current.size() == MAX_BATCH_ENTRIES || currentBytes + bytes > MAX_PAYLOAD_BYTES)) {
                chunks.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(notification);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    /** What SNS counts against the size limit: the message and each attribute's name, type and value (UTF-8). */
    static long payloadBytes(PendingNotification notification) {
        long bytes = utf8(notification.message());
        for (Map.Entry<String, String> attribute : notification.attributes().entrySet()) {
            bytes += utf8(attribute.getKey()) + utf8("String") + utf8(attribute.getValue());
        }
        return bytes + utf8(notification.subject());
    }

    private static long utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Closes the SNS client, which this publisher was built with and owns. */
    @Override
    public void close() {
        sns.close();
    }
}
