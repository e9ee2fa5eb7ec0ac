package org.daycare.registration.workflow;

/** A cancellation of an execution that already failed or was already cancelled. */
public final class NotCancellable extends RuntimeException {

    public NotCancellable() {
        super("NotCancellable", null, false, false);
    }
}
