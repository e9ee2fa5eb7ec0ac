package org.daycare.registration.intake;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.daycare.registration.workflow.ResultDocument;

/** The answer to a submission that never became an execution: nothing was started and nothing is notified. */
@JsonPropertyOrder({"error", "cause"})
public record RejectedRequest(@JsonIgnore int httpStatus, String error, String cause) implements ResultDocument {

    public static RejectedRequest malformed(String cause) {
        return new RejectedRequest(400, "MalformedRequest", cause);
    }

    public static RejectedRequest tooLarge(long limitBytes) {
        return new RejectedRequest(413, "RequestTooLarge", "The body exceeds the limit of " + limitBytes + " bytes.");
    }

    /** 422, as Stripe answers a reused idempotency key: the request is understood, and refused. */
    public static RejectedRequest idempotencyKeyReused() {
        return new RejectedRequest(422, "IdempotencyKeyReused",
                "This Idempotency-Key was already used with a different document; nothing was started."
                        + " Use a new key for a new registration.");
    }

    public static RejectedRequest storeUnavailable() {
        return new RejectedRequest(503, "ServiceUnavailable",
                "Registrations cannot be recorded right now; nothing was registered. Retry shortly.");
    }

    public static RejectedRequest unsupportedMediaType(String contentType) {
        return new RejectedRequest(415, "UnsupportedMediaType",
                "The content type must be application/json, got " + contentType + ".");
    }
}
