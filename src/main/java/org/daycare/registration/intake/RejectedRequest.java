package org.daycare.registration.intake;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.daycare.registration.workflow.ResultDocument;

/** The answer to a submission that never became an execution: nothing was started and nothing is notified. */
@JsonPropertyOrder({"error", "cause"})
@Schema(description = "A request refused before any execution started: nothing was registered and nothing is notified.")
public record RejectedRequest(
        @JsonIgnore int httpStatus,
        @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {MALFORMED, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE,
                IDEMPOTENCY_KEY_REUSED, SERVICE_UNAVAILABLE}) String error,
        @Schema(requiredMode = RequiredMode.REQUIRED) String cause) implements ResultDocument {

    static final String MALFORMED = "MalformedRequest";
    static final String TOO_LARGE = "RequestTooLarge";
    static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    static final String IDEMPOTENCY_KEY_REUSED = "IdempotencyKeyReused";
    static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    public static RejectedRequest malformed(String cause) {
        return new RejectedRequest(400, MALFORMED, cause);
    }

    public static RejectedRequest tooLarge(long limitBytes) {
        return new RejectedRequest(413, TOO_LARGE, "The body exceeds the limit of " + limitBytes + " bytes.");
    }

    /** 422, as Stripe answers a reused idempotency key: the request is understood, and refused. */
    public static RejectedRequest idempotencyKeyReused() {
        return new RejectedRequest(422, IDEMPOTENCY_KEY_REUSED,
                "This Idempotency-Key was already used with a different document; nothing was started."
                        + " Use a new key for a new registration.");
    }

    public static RejectedRequest storeUnavailable() {
        return new RejectedRequest(503, SERVICE_UNAVAILABLE,
                "Registrations cannot be recorded right now; nothing was registered. Retry shortly.");
    }

    public static RejectedRequest unsupportedMediaType(String contentType) {
        return new RejectedRequest(415, UNSUPPORTED_MEDIA_TYPE,
                "The content type must be application/json, got " + contentType + ".");
    }
}
