package org.daycare.registration.workflow;

/**
 * A result document answered again from the store, verbatim: the first response for a repeated
 * Idempotency-Key, or the existing confirmation for a child who already holds one (200).
 */
public record StoredResult(String json, int httpStatus) implements ResultDocument {
}
