package org.daycare.registration.workflow;

/**
 * The failure ends of the state machine, with the error names and causes of the original definition: clients
 * and notification subscribers match on them, so they never change.
 */
public enum WorkflowError {
    InformationIncomplete("The parent did not provide complete information."),
    InvalidAge("The child does not meet the age requirements."),
    NoSpots("There are no spots available."),
    /** Not a state of the original: an execution that broke on a defect of ours, never on client input. */
    InternalError("The registration could not be processed because of an internal error.");

    private final String cause;

    WorkflowError(String cause) {
        this.cause = cause;
    }

    public String cause() {
        return cause;
    }
}
