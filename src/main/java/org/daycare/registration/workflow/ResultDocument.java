package org.daycare.registration.workflow;

/** The JSON answer to a submission, the same over HTTP and in the outbox; it knows its own HTTP status. */
public interface ResultDocument {

    int httpStatus();
}
