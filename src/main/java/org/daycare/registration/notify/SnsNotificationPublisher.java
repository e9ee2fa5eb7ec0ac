package org.daycare.registration.notify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.daycare.registration.store.NotificationOutbox.PendingNotification;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

/**
 * Publishes outbox notifications to the SNS topic through the route {@link NotificationRoutes#PUBLISH_TO_SNS}, whose
 * {@code aws2-sns} endpoint runs in batch mode: one PublishBatch per call, at most 10 entries and 256 KiB together
 * (the SNS limits), the {@code PublishBatchResponse} coming back as the body. The calls of one claim run
 * concurrently. Its per-entry results decide which
 * notification counts as published.
 *
 * <p>Each entry carries its own subject and exactly the three String attributes of its outbox row: in batch mode
 * the endpoint turns no header into an attribute, and takes nothing else from the exchange.
 *
 * <p>Delivery is at-least-once: a notification is published again when its row could not be marked sent after SNS
 * accepted it (crash, database error, timeout after acceptance, or a lease that ran out). The topic is a standard
 * topic, so no MessageDeduplicationId is sent; the {@code executionId} and {@code outcome} attributes are the
 * stable key subscribers deduplicate on (an execution announces each of its outcomes once). The SNS client's own
 * {@code apiCallTimeout} ({@code daycare.sns.timeout-ms}) bounds every call.
 */
final class SnsNotificationPublisher implements NotificationPublisher {

    /** SNS limits: 10 entries per PublishBatch, 256 KiB per message and per batch (message body plus attributes). */
    static final int MAX_BATCH_ENTRIES = 10;
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    private final ProducerTemplate camel;

    SnsNotificationPublisher(ProducerTemplate camel) {
        this.camel = camel;
    }

    @Override
    public String destination() {
        return "SNS";
    }

    @Override
    public Map<String, String> publish(List<PendingNotification> batch) {
        // The chunks' PublishBatch calls go out together (the template's own thread pool), so that a claim of 50
        // waits for SNS about once instead of five times; each call is bounded by the client's apiCallTimeout.
        List<List<PendingNotification>> chunks = chunks(batch);
        List<CompletableFuture<PublishBatchResponse>> calls = new ArrayList<>(chunks.size());
        for (List<PendingNotification> chunk : chunks) {
            calls.add(camel.asyncRequestBody(NotificationRoutes.PUBLISH_TO_SNS, entries(chunk), PublishBatchResponse.class));
        }
        Map<String, String> results = new LinkedHashMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            List<PendingNotification> chunk = chunks.get(i);
            try {
                results.putAll(results(chunk, calls.get(i).join()));
            } catch (RuntimeException e) {
                // the call failed as a whole: none of the chunk is known to be published
                String error = describe(rootOf(e));
                for (PendingNotification notification : chunk) {
                    results.put(notification.notificationId(), error);
                }
            }
        }
        return results;
    }

    /** The failure under the future's and Camel's wrappers. */
    private static Throwable rootOf(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof CamelExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * The PublishBatch entries of a chunk; an entry's id is its notification id (the outbox's key, so unique within
     * the request, and made of the characters SNS allows), which its result in the response names.
     */
    static List<PublishBatchRequestEntry> entries(List<PendingNotification> chunk) {
        List<PublishBatchRequestEntry> entries = new ArrayList<>(chunk.size());
        for (PendingNotification notification : chunk) {
            entries.add(PublishBatchRequestEntry.builder()
                    .id(notification.notificationId())
                    .subject(notification.subject())
                    .message(notification.message())
                    .messageAttributes(attributes(notification))
                    .build());
        }
        return entries;
    }

    /** Entry by entry: null for an entry SNS accepted, else why not (an entry it says nothing about is not accepted). */
    static Map<String, String> results(List<PendingNotification> chunk, PublishBatchResponse response) {
        Map<String, String> results = new LinkedHashMap<>();
        chunk.forEach(n -> results.put(n.notificationId(), "no result for this entry in the PublishBatch response"));
        if (response == null) {
            return results;
        }
        // only ids of this chunk count: an id SNS made up cannot mark anything sent
        for (PublishBatchResultEntry ok : response.successful()) {
            if (results.containsKey(ok.id())) {
                results.put(ok.id(), null);
            }
        }
        for (BatchResultErrorEntry failed : response.failed()) {
            if (results.containsKey(failed.id())) {
                results.put(failed.id(), "PublishBatch entry failed: " + failed.code()
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

    /** Stops the producer template; the SNS client is a bean of its own, closed by the registry at shutdown. */
    @Override
    public void close() {
        camel.stop();
    }
}
