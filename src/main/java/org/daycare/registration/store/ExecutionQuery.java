package org.daycare.registration.store;

/**
 * A search over executions, newest first. Each filter is optional (null); {@code after} is the opaque position
 * of the last execution of the previous page.
 */
public record ExecutionQuery(String status, String childLastName, String parentEmail, int limit, PagePosition after) {

    /** Keyset position: executions strictly older than this one (ties broken by id) come next. */
    public record PagePosition(java.time.Instant startedAt, String executionId) {
    }
}
