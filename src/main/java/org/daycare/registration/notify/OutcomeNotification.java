package org.daycare.registration.notify;

import java.util.LinkedHashMap;
import java.util.Map;

import org.daycare.registration.workflow.ExecutionResult;

/**
 * What subscribers receive for an execution: the result document as the message, a subject, and exactly the
 * message attributes {@code outcome}, {@code executionId} and (on failures) {@code error}, for filter policies.
 */
public record OutcomeNotification(String subject, Map<String, String> attributes, String message) {

    public static OutcomeNotification of(ExecutionResult result, String resultDocumentJson) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("outcome", result.status().name());
        attributes.put("executionId", result.executionId());
        String subject = "Registration confirmed";
        if (!result.succeeded()) {
            attributes.put("error", result.error().name());
            subject = "Registration rejected: " + result.error().name();
        }
        return new OutcomeNotification(subject, Map.copyOf(attributes), resultDocumentJson);
    }
}
