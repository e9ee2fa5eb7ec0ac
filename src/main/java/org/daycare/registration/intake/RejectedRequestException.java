package org.daycare.registration.intake;

/** Thrown by intake checks; the submission-errors route configuration turns it into its result document. */
public final class RejectedRequestException extends RuntimeException {

    private final transient RejectedRequest rejection;

    public RejectedRequestException(RejectedRequest rejection) {
        super(rejection.error() + ": " + rejection.cause(), null, false, false);
        this.rejection = rejection;
    }

    public RejectedRequest rejection() {
        return rejection;
    }
}
