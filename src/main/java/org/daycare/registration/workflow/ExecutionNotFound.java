package org.daycare.registration.workflow;

/** No execution with that id (or, on the status link, none the presented token opens). */
public final class ExecutionNotFound extends RuntimeException {

    public ExecutionNotFound() {
        super("ExecutionNotFound", null, false, false);
    }
}
