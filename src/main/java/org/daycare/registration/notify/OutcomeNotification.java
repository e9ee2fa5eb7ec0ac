package org.daycare.registration.notify;

import java.util.LinkedHashMap;
import java.util.Map;

import org.daycare.registration.workflow.ExecutionResult;

/**
 * What subscribers receive for an execution: the result document as the message, a subject, and exactly the
 * message attributes {@code outcome}, {@code executionId} and (on failures) {@code error}, for filter policies.
 */
public record OutcomeNotification(String subject, Map<String, String> attributes, String message) {

    /** The outcome attribute of a registration that starts waiting for the director, for staff to subscribe to. */
    public static final String APPROVAL_REQUESTED = "APPROVAL_REQUESTED";
    /** The outcome attribute of a registration that joins the waitlist (a day it asks for is full). */
    public static final String WAITLISTED = "WAITLISTED";
    /** The state a waitlisted execution waits in. */
    public static final String WAITLISTED_STATE = "Waitlisted";

    /**
     * The outcome announced: SUCCEEDED, FAILED (with its error), CANCELLED, or, for an execution that starts waiting
     * for approval, APPROVAL_REQUESTED (WAITLISTED for one that joins the waitlist) with the registration as the message ({@code resultDocumentJson} is then
     * that registration).
     */
    public static OutcomeNotification of(ExecutionResult result, String resultDocumentJson) {
        Map<String, String> attributes = new LinkedHashMap<>();
        boolean waitlisted = WAITLISTED_STATE.equals(result.state());
        String outcome = result.status() != ExecutionResult.Status.RUNNING ? result.status().name()
                : waitlisted ? WAITLISTED : APPROVAL_REQUESTED;
        attributes.put("outcome", outcome);
        attributes.put("executionId", result.executionId());
        String subject = switch (result.status()) {
            case SUCCEEDED -> "Registration confirmed";
            case RUNNING -> waitlisted ? "Registration waitlisted" : "Approval requested";
            case CANCELLED -> "Registration cancelled";
            case FAILED -> "Registration rejected: " + result.error().name();
        };
        if (result.status() == ExecutionResult.Status.FAILED) {
            attributes.put("error", result.error().name());
        }
        return new OutcomeNotification(subject, Map.copyOf(attributes), resultDocumentJson);
    }
}
