package org.daycare.registration.workflow;

/** A decision or deadline on an execution that is not awaiting approval (decided, timed out, cancelled, or never waited). */
public final class NotAwaitingApproval extends RuntimeException {

    public NotAwaitingApproval() {
        super("NotAwaitingApproval", null, false, false);
    }
}
