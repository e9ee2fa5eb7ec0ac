package org.daycare.registration.workflow;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.daycare.registration.store.ExecutionEvent;
import org.daycare.registration.store.JdbcExecutionStore.NewExecution;

/**
 * An execution in flight (the exchange property {@code execution}): its id, what it started with, and the states
 * it entered and left since its last durable point. It holds no database resource: the execution is written at its
 * durable points (entering a waiting state, and its end), each one transaction opened and committed there (see
 * {@link Executions}). A new one has nothing in the database yet; a resumed one (a decision, a deadline or a
 * cancellation on a recorded execution) continues its stored history.
 */
public final class RunningExecution {

    private final NewExecution started;
    private final String registrationDigest;
    private final Clock clock;
    /** The recorded status a resumed execution moves on from (RUNNING, or SUCCEEDED for a cancellation); null if new. */
    private final String resumedFrom;
    /** The recorded state it was taken up in (Await Approval, Waitlisted, ...; null for SUCCEEDED); null if new. */
    private final String resumedState;
    private final int storedEvents;
    private final String reason;
    private final List<ExecutionEvent> events = new ArrayList<>();
    private ExecutionResult recorded;
    private boolean lostToKeyTwin;

    /**
     * A new execution.
     *
     * @param started what the execution's record starts with (id, source, input, search keys, start time)
     * @param registrationDigest DocumentDigest of the submitted registration_info, kept with a confirmation
     */
    public RunningExecution(NewExecution started, String registrationDigest, Clock clock) {
        this(started, registrationDigest, clock, null, null, 0, null);
    }

    private RunningExecution(NewExecution started, String registrationDigest, Clock clock, String resumedFrom,
            String resumedState, int storedEvents, String reason) {
        this.started = started;
        this.registrationDigest = registrationDigest;
        this.clock = clock;
        this.resumedFrom = resumedFrom;
        this.resumedState = resumedState;
        this.storedEvents = storedEvents;
        this.reason = reason;
    }

    /** A recorded execution taken up again from {@code status} and {@code state}, its history {@code storedEvents} long. */
    static RunningExecution resumed(NewExecution started, Clock clock, String status, String state, int storedEvents,
            String reason) {
        return new RunningExecution(started, null, clock, status, state, storedEvents, reason);
    }

    public String executionId() {
        return started.executionId();
    }

    String registrationDigest() {
        return registrationDigest;
    }

    NewExecution started() {
        return started;
    }

    /** The recorded status it was taken up from, or null for a new execution. */
    String resumedFrom() {
        return resumedFrom;
    }

    /** The recorded state it was taken up in, or null. */
    String resumedState() {
        return resumedState;
    }

    /** The cause its failure end gives instead of the error's own: a rejection's reason, an expiry's. */
    String reason() {
        return reason;
    }

    void entered(String state) {
        add(state, ExecutionEvent.Type.ENTERED, null, null);
    }

    void exited(String state, int statusCode) {
        add(state, ExecutionEvent.Type.EXITED, statusCode, null);
    }

    void exited(String state, int statusCode, String detail) {
        add(state, ExecutionEvent.Type.EXITED, statusCode, detail);
    }

    private void add(String state, ExecutionEvent.Type type, Integer statusCode, String detail) {
        if (recorded == null) {
            events.add(new ExecutionEvent(storedEvents + events.size() + 1, state, type, statusCode, detail, clock.instant()));
        }
    }

    /** The events since the last durable point (numbered after the stored ones). */
    List<ExecutionEvent> events() {
        return List.copyOf(events);
    }

    /** The next events' sequence number. */
    int nextSequence() {
        return storedEvents + events.size() + 1;
    }

    /**
     * Recorded at a durable point with this result, these states included: what the routes still journal in this
     * exchange is already there.
     */
    void recorded(ExecutionResult result) {
        this.recorded = result;
    }

    /** Whether a concurrent execution with the same Idempotency-Key was recorded first: its answer is this one's. */
    boolean lostToKeyTwin() {
        return lostToKeyTwin;
    }

    void lostToKeyTwin(boolean lost) {
        this.lostToKeyTwin = lost;
    }

    /** The result it was recorded with in this exchange, or null. */
    ExecutionResult recordedAs() {
        return recorded;
    }
}
