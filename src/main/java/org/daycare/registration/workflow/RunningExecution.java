package org.daycare.registration.workflow;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.daycare.registration.store.ExecutionEvent;

/**
 * An execution in flight (the exchange property {@code execution}): its id, and the states it entered and left
 * so far, kept in memory and written with the outcome in one transaction.
 */
public final class RunningExecution {

    private final String executionId;
    private final Instant startedAt;
    private final Clock clock;
    private final List<ExecutionEvent> events = new ArrayList<>();

    RunningExecution(String executionId, Clock clock) {
        this.executionId = executionId;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public String executionId() {
        return executionId;
    }

    Instant startedAt() {
        return startedAt;
    }

    void entered(String state) {
        events.add(new ExecutionEvent(events.size() + 1, state, ExecutionEvent.Type.ENTERED, null, clock.instant()));
    }

    void exited(String state, int statusCode) {
        events.add(new ExecutionEvent(events.size() + 1, state, ExecutionEvent.Type.EXITED, statusCode, clock.instant()));
    }

    List<ExecutionEvent> events() {
        return List.copyOf(events);
    }
}
