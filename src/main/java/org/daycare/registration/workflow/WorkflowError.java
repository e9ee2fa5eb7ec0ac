package org.daycare.registration.workflow;

/**
 * The failure ends of the state machine, with the error names and causes of the original definition: clients
 * and notification subscribers match on them, so they never change.
 */
public enum WorkflowError {
    InformationIncomplete("Notify Missing Info", "The parent did not provide complete information."),
    InvalidAge("Notify Invalid Age", "The child does not meet the age requirements."),
    NoSpots("Notify No Spots", "There are no spots available."),
    /**
     * Not a state of the original: the child already holds a registration, made from another document. The cause
     * says nothing of that registration: whoever sent this one may not be whoever made it.
     */
    AlreadyRegistered("Notify Already Registered", "This child already holds a registration; contact the daycare."),
    /** Not a state of the original: the director rejected the registration; the cause is the reason given. */
    ApprovalRejected("Notify Approval Rejected", "The director rejected the registration."),
    /** Not a state of the original: no decision came before daycare.approval.timeout passed. */
    ApprovalTimedOut("Notify Approval Timed Out", "No decision on the registration came in time."),
    /** Not a state of the original: an execution that broke on a defect of ours, never on client input. */
    InternalError("Internal Error", "The registration could not be processed because of an internal error.");

    private final String endState;
    private final String cause;

    WorkflowError(String endState, String cause) {
        this.endState = endState;
        this.cause = cause;
    }

    /** The name of the failure end in the execution's history. */
    public String endState() {
        return endState;
    }

    public String cause() {
        return cause;
    }
}
