package org.daycare.registration.workflow;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.daycare.registration.store.ExecutionEvent;
import org.daycare.registration.store.JdbcExecutionStore.NewExecution;
import org.daycare.registration.store.StoreTransaction;

/**
 * An execution in flight (the exchange property {@code execution}): its id, the states it entered and left so
 * far, and the one database transaction its reservation and its record share, opened when first needed and
 * committed when the execution ends. Nothing of it is in the database before that commit.
 */
public final class RunningExecution {

    private final NewExecution started;
    private final String registrationDigest;
    private final Clock clock;
    private final Supplier<StoreTransaction> transactions;
    private final List<ExecutionEvent> events = new ArrayList<>();
    private StoreTransaction transaction;

    /**
     * @param started what the execution's record starts with (id, source, input, search keys, start time)
     * @param registrationDigest DocumentDigest of the submitted registration_info, kept with a confirmation
     * @param transactions opens the execution's transaction, when the execution first needs it
     */
    public RunningExecution(NewExecution started, String registrationDigest, Clock clock,
            Supplier<StoreTransaction> transactions) {
        this.started = started;
        this.registrationDigest = registrationDigest;
        this.clock = clock;
        this.transactions = transactions;
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
        events.add(new ExecutionEvent(events.size() + 1, state, ExecutionEvent.Type.ENTERED, null, clock.instant()));
    }

    void exited(String state, int statusCode) {
        events.add(new ExecutionEvent(events.size() + 1, state, ExecutionEvent.Type.EXITED, statusCode, clock.instant()));
    }

    List<ExecutionEvent> events() {
        return List.copyOf(events);
    }

    /** The execution's transaction, opened on first use (again after {@link #abandon}). */
    StoreTransaction transaction() {
        if (transaction == null || !transaction.isOpen()) {
            transaction = transactions.get();
        }
        return transaction;
    }

    void commit() {
        transaction().commit();
    }

    /** Rolls back whatever the execution wrote and has not committed; nothing if it has none open. */
    void abandon() {
        if (transaction != null) {
            transaction.close();
        }
    }
}
