package org.daycare.registration.workflow;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.daycare.registration.store.ExecutionEvent;
import org.daycare.registration.store.JdbcExecutionStore.NewExecution;

/**
 * An execution in flight (the exchange property {@code execution}): its id, what it started with, and the states
 * it entered and left so far. It holds no database resource: the execution is written at its durable points, each
 * one transaction opened and committed there (see {@link Executions}). Nothing of it is in the database before the
 * first; once it has ended there ({@link #ended}), the states after that point are already recorded.
 */
public final class RunningExecution {

    private final NewExecution started;
    private final String registrationDigest;
    private final Clock clock;
    private final List<ExecutionEvent> events = new ArrayList<>();
    private ExecutionResult ended;

    /**
     * @param started what the execution's record starts with (id, source, input, search keys, start time)
     * @param registrationDigest DocumentDigest of the submitted registration_info, kept with a confirmation
     */
    public RunningExecution(NewExecution started, String registrationDigest, Clock clock) {
        this.started = started;
        this.registrationDigest = registrationDigest;
        this.clock = clock;
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

    void entered(String state) {
        if (ended == null) {
            events.add(new ExecutionEvent(events.size() + 1, state, ExecutionEvent.Type.ENTERED, null, clock.instant()));
        }
    }

    void exited(String state, int statusCode) {
        if (ended == null) {
            events.add(new ExecutionEvent(events.size() + 1, state, ExecutionEvent.Type.EXITED, statusCode, clock.instant()));
        }
    }

    List<ExecutionEvent> events() {
        return List.copyOf(events);
    }

    /** Recorded as ended with this result, these states included: what the routes still journal is already there. */
    void ended(ExecutionResult result) {
        this.ended = result;
    }

    /** The result it was recorded with, or null while it has not ended. */
    ExecutionResult endedWith() {
        return ended;
    }
}
