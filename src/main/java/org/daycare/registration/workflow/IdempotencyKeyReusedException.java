package org.daycare.registration.workflow;

/**
 * A submission carried an Idempotency-Key already used with another document. It is refused before any execution
 * starts (or, when it raced the first, rolled back), and its answer holds nothing of the first one: a key is no
 * secret, and whoever sends it may not be whoever used it first.
 */
public final class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException() {
        super("the Idempotency-Key was used with another document", null, false, false);
    }
}
