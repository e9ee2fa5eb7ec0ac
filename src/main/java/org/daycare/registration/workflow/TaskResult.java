package org.daycare.registration.workflow;

import java.util.List;

import org.daycare.registration.rules.Registration;

/**
 * What each state returns, as the original Lambda tasks did: a statusCode that the content-based router after
 * the state switches on (200 to the next state, 400 to the state's failure end), and the registration so far.
 */
public record TaskResult(int statusCode, Registration registration, List<String> problems) {

    public static final int OK = 200;
    public static final int REJECTED = 400;
    /**
     * Only from Confirm Registration: this same registration was confirmed by a concurrent execution (a retry that
     * raced the first); that confirmation is the answer ("see other").
     */
    public static final int ALREADY_CONFIRMED = 303;
    /** Only from Confirm Registration: the child already holds a registration, made from another document. */
    public static final int ALREADY_REGISTERED = 409;

    public static TaskResult ok(Registration registration) {
        return new TaskResult(OK, registration, List.of());
    }

    public static TaskResult rejected(Registration registration) {
        return new TaskResult(REJECTED, registration, List.of());
    }

    public static TaskResult alreadyConfirmed(Registration registration) {
        return new TaskResult(ALREADY_CONFIRMED, registration, List.of());
    }

    public static TaskResult alreadyRegistered(Registration registration) {
        return new TaskResult(ALREADY_REGISTERED, registration, List.of());
    }

    public static TaskResult incomplete(List<String> problems) {
        return new TaskResult(REJECTED, null, List.copyOf(problems));
    }

}
