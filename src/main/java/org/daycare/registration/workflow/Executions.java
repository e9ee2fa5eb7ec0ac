package org.daycare.registration.workflow;

import java.time.Clock;
import java.time.Instant;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Set;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import org.apache.camel.Body;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.daycare.registration.notify.OutcomeNotification;
import org.daycare.registration.rules.Registration;
import org.daycare.registration.security.StatusTokens;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.ExecutionEvent;
import org.daycare.registration.store.StoreTransaction;
import org.daycare.registration.store.ExecutionRecord;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.store.JdbcExecutionStore.Completion;
import org.daycare.registration.store.JdbcExecutionStore.NewExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workflow engine around the four tasks: what happens before an execution starts (a repeated submission is
 * answered from the store), its start, the states it enters and leaves, and its durable points. Nothing of an
 * execution is written until one of them, and no database transaction travels with the exchange: each durable
 * point is one transaction, opened and committed there. The end of an execution that does not wait is one: Confirm
 * Registration's (its record, history and notification, then its spots, locked last, just before the commit) or a
 * failure end's. An execution interrupted by a crash before it leaves nothing behind (its client had no answer;
 * its dropped file is still in the inbox). The routes call these methods; the tasks themselves stay rules.
 */
public final class Executions {

    public static final String EXECUTION = "execution";
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String SOURCE = "source";
    /** The source of a dropped file's execution: this prefix and the file's name. */
    public static final String FILE_SOURCE_PREFIX = "file:";
    public static final String SUCCEEDED_STATE = "Succeeded";
    public static final String AWAIT_APPROVAL_STATE = "Await Approval";
    public static final String WAITLISTED_STATE = OutcomeNotification.WAITLISTED_STATE;
    /** The state a promoted registration is due in: it re-runs from here, its spots held for it. */
    public static final String CHECK_SPOTS_STATE = "Check Spots Availability";
    /** Set on a promoted execution taken up again: Check Spots Availability finds its spots held for it. */
    public static final String SPOTS_HELD = "spotsHeld";
    /** The recorded state a resumed execution was taken up in, for the route resume-execution. */
    public static final String RESUMED_STATE = "resumedState";
    public static final String CANCELLED_STATE = "Cancelled";
    /** The exchange properties of a resumed execution: its id, the decision, and a rejection's reason. */
    public static final String RESUME_ID = "resumeExecutionId";
    public static final String DECISION = "decision";
    public static final String REASON = "reason";
    static final String CONFIRM_STATE = "Confirm Registration";

    private static final Logger LOG = LoggerFactory.getLogger(Executions.class);
    /**
     * UUID version 7: a millisecond timestamp, then 74 random bits. Ids that grow with time land at the end of
     * every index keyed by them (executions, their events, notifications, confirmations) instead of at random
     * places, so that each commit rewrites a few pages instead of one per index.
     */
    private static final TimeBasedEpochGenerator EXECUTION_IDS = Generators.timeBasedEpochGenerator();

    private final JdbcExecutionStore store;
    private final CapacityLedger capacityLedger;
    private final ResultDocuments resultDocuments;
    private final ObjectMapper objectMapper;
    private final Clock clock;
    private final ExecutionMetrics metrics;
    private final StatusTokens statusTokens;
    private final Duration approvalTimeout;
    private final Duration waitlistMaxWait;

    /**
     * @param meters where the executions' counter and duration histogram are registered (see {@link ExecutionMetrics})
     * @param approvalTimeout how long a registration may await approval (daycare.approval.timeout)
     * @param waitlistMaxWait how long it may wait there (daycare.waitlist.max-wait)
     */
    public Executions(JdbcExecutionStore store, CapacityLedger capacityLedger, ResultDocuments resultDocuments,
            ObjectMapper objectMapper, Clock clock, MeterRegistry meters, StatusTokens statusTokens,
            Duration approvalTimeout, Duration waitlistMaxWait) {
        this.store = store;
        this.capacityLedger = capacityLedger;
        this.resultDocuments = resultDocuments;
        this.objectMapper = objectMapper;
        this.clock = clock;
        this.metrics = new ExecutionMetrics(meters);
        this.statusTokens = statusTokens;
        this.approvalTimeout = approvalTimeout;
        this.waitlistMaxWait = waitlistMaxWait;
    }

    /**
     * What resumes a recorded execution, through the route resume-execution, with the status code the router
     * Approval Decision decides on (and Await Approval's history exit shows).
     */
    public enum Decision {
        APPROVED(200, "approved"), REJECTED(403, "rejected"), TIMED_OUT(408, "timed out"), CANCELLED(410, "cancelled"),
        /** Out of the waitlist: its spots are held for it; it re-runs from Check Spots Availability. */
        PROMOTED(200, "a spot opened"),
        /** The waitlist's max-wait passed. */
        EXPIRED(408, "no spot opened in time");

        private final int statusCode;
        private final String detail;

        Decision(int statusCode, String detail) {
            this.statusCode = statusCode;
            this.detail = detail;
        }
    }

    /**
     * A submission that was answered before is answered the same way and starts nothing: the first response for
     * a repeated Idempotency-Key with the same document, or, for an identical registration_info of a child who
     * holds a confirmed registration, that confirmation (200, same executionId). Null when a new execution should
     * start. Neither answer carries anything the submission did not send, but what the workflow added.
     *
     * @throws IdempotencyKeyReusedException the key was used with another document
     */
    ResultDocument previousAnswer(JsonNode document, String requestDigest, String registrationDigest,
            String idempotencyKey) throws JsonProcessingException {
        if (idempotencyKey != null) {
            Optional<ExecutionRecord> first = store.findByIdempotencyKey(idempotencyKey);
            if (first.isPresent()) {
                return replayOf(first.get(), requestDigest);
            }
        }
        return childKeyOf(document).flatMap(capacityLedger::confirmationFor)
                .filter(confirmation -> registrationDigest.equals(confirmation.registrationDigest()))
                .map(this::retryAnswer)
                .orElse(null);
    }

    /**
     * Answers a repeated submission from the store, or starts a new execution: the body becomes the stored
     * {@link ResultDocument}, or stays the document with the new execution on the exchange (nothing is written yet).
     */
    public void begin(Exchange exchange) throws JsonProcessingException {
        JsonNode document = exchange.getMessage().getBody(JsonNode.class);
        String idempotencyKey = exchange.getProperty(IDEMPOTENCY_KEY, String.class);
        String requestDigest = DocumentDigest.of(document);
        String registrationDigest = DocumentDigest.of(document.path("registration_info"));
        ResultDocument previous = previousAnswer(document, requestDigest, registrationDigest, idempotencyKey);
        if (previous != null) {
            exchange.getMessage().setBody(previous);
            return;
        }
        JsonNode child = document.path("registration_info").path("child");
        JsonNode parents = document.path("registration_info").path("parents");
        String executionId = EXECUTION_IDS.generate().toString();
        RunningExecution execution = new RunningExecution(new NewExecution(executionId,
                truncate(exchange.getProperty(SOURCE, "unknown", String.class), 300),
                objectMapper.writeValueAsString(document),
                requestDigest,
                idempotencyKey,
                searchKey(child.path("lastName"), 100),
                searchKey(parents.path("mother").path("email"), 254),
                searchKey(parents.path("father").path("email"), 254),
                StatusTokens.digestOf(statusTokens.tokenFor(executionId)), clock.instant()), registrationDigest, clock);
        exchange.setProperty(EXECUTION, execution);
        exchange.setProperty(RegistrationStates.EXECUTION_ID, execution.executionId());
    }

    public void entered(RunningExecution execution, String state) {
        execution.entered(state);
    }

    public void exited(RunningExecution execution, String state, int statusCode) {
        execution.exited(state, statusCode);
    }

    /**
     * Confirm Registration's durable point, and the execution's end when it confirms: 200 when confirmed; 400 (and
     * so NoSpots) when the registration passed the availability check but lost the last spot to a concurrent one;
     * 409 (AlreadyRegistered) when the child already holds a registration; 303 when this very submission was
     * answered by a concurrent twin (a retry that raced it). In one transaction, the
     * execution's record (SUCCEEDED, its history through the Succeeded end, its notification), then the confirmed
     * registration and the spots it takes, last, so that the spots' rows are locked only for the commit that
     * follows. Anything but CONFIRMED rolls all of it back and leaves the execution running, for the router to
     * send where the outcome says; so does a concurrent twin with the same Idempotency-Key recorded first
     * (SAME_REGISTRATION_CONFIRMED: the answer is that one's).
     */
    public TaskResult confirm(@ExchangeProperty(EXECUTION) RunningExecution execution, @Body TaskResult priced)
            throws JsonProcessingException {
        Registration confirmed = priced.registration();
        return switch (confirm(execution, confirmed, RegistrationStates.daysOf(confirmed))) {
            case CONFIRMED -> TaskResult.ok(confirmed);
            case NO_SPOTS -> TaskResult.rejected(confirmed);
            case SAME_REGISTRATION_CONFIRMED -> TaskResult.alreadyConfirmed(confirmed);
            case CHILD_ALREADY_REGISTERED -> TaskResult.alreadyRegistered(confirmed);
        };
    }

    private CapacityLedger.Reservation.Outcome confirm(RunningExecution execution, Registration confirmed,
            Set<DayOfWeek> days) throws JsonProcessingException {
        ExecutionResult result = ExecutionResult.succeeded(execution.executionId(), confirmed);
        List<ExecutionEvent> events = new ArrayList<>(execution.events());
        events.add(new ExecutionEvent(execution.nextSequence(), CONFIRM_STATE, ExecutionEvent.Type.EXITED, TaskResult.OK,
                null, clock.instant()));
        events.add(new ExecutionEvent(execution.nextSequence() + 1, SUCCEEDED_STATE, ExecutionEvent.Type.ENTERED, null,
                null, clock.instant()));
        Completion completion = completionOf(execution.executionId(), events, result, null, null);
        if (execution.resumedFrom() != null) {
            // approved, or promoted from the waitlist: the spots it holds become the confirmation's, if nothing else won
            try (StoreTransaction transaction = store.newTransaction()) {
                if (!store.advance(transaction, execution.resumedFrom(), execution.resumedState(), completion)) {
                    throw lostRace(execution, new NotAwaitingApproval());
                }
                if (!capacityLedger.confirmHold(transaction, execution.executionId(), confirmed)) {
                    throw new IllegalStateException("execution " + execution.executionId() + " held no spots");
                }
                transaction.commit();
            }
            execution.exited(CONFIRM_STATE, TaskResult.OK);
            execution.entered(SUCCEEDED_STATE);
            recordedEnd(execution, result);
            return CapacityLedger.Reservation.Outcome.CONFIRMED;
        }
        try (StoreTransaction transaction = store.newTransaction()) {
            store.record(transaction, execution.started(), completion);
            CapacityLedger.Reservation.Outcome outcome = capacityLedger.reserve(transaction, execution.executionId(), days,
                    confirmed, execution.registrationDigest()).outcome();
            if (outcome == CapacityLedger.Reservation.Outcome.CONFIRMED) {
                transaction.commit();
                execution.exited(CONFIRM_STATE, TaskResult.OK);
                execution.entered(SUCCEEDED_STATE);
                recordedEnd(execution, result);
            }
            return outcome;
        } catch (JdbcExecutionStore.IdempotencyKeyTaken twin) {
            LOG.info("Execution {} discarded: another with its Idempotency-Key was recorded first", execution.executionId());
            execution.lostToKeyTwin(true);
            return CapacityLedger.Reservation.Outcome.SAME_REGISTRATION_CONFIRMED;
        }
    }

    /** The Succeeded end: Confirm Registration recorded it with the confirmation. */
    public ResultDocument succeeded(RunningExecution execution) {
        ExecutionResult result = execution.recordedAs();
        if (result == null || !result.succeeded()) {
            throw new IllegalStateException("execution " + execution.executionId() + " reached Succeeded unconfirmed");
        }
        return answer(execution, result);
    }

    /**
     * Await Approval's durable point: the registration's spots are held, with the same conditional reservation that
     * prevents overbooking, and the execution is recorded RUNNING in this state until its deadline, with its history
     * and the APPROVAL_REQUESTED notification (the registration as the message), in one transaction. 202 when it
     * waits; otherwise, as Confirm Registration: 400 (the last spot went), 409 (the child holds a registration),
     * 303 (a concurrent twin answered this submission); nothing is then written.
     */
    public TaskResult awaitApproval(@ExchangeProperty(EXECUTION) RunningExecution execution, @Body TaskResult available)
            throws JsonProcessingException {
        Registration held = available.registration();
        ExecutionResult waiting = ExecutionResult.waiting(execution.executionId(), AWAIT_APPROVAL_STATE);
        Instant deadline = clock.instant().plus(approvalTimeout);
        Completion completion = completionOf(execution.executionId(), execution.events(), waiting, deadline, held);
        if (execution.resumedFrom() != null) {
            // promoted from the waitlist: its spots are held for it already; it now waits for the director
            try (StoreTransaction transaction = store.newTransaction()) {
                if (!store.advance(transaction, execution.resumedFrom(), execution.resumedState(), completion)) {
                    throw lostRace(execution, new NotAwaitingApproval());
                }
                transaction.commit();
            }
            execution.recorded(waiting);
            LOG.info("Execution {} awaits approval until {}", execution.executionId(), deadline);
            return new TaskResult(TaskResult.WAITING, held, List.of());
        }
        try (StoreTransaction transaction = store.newTransaction()) {
            store.record(transaction, execution.started(), completion);
            CapacityLedger.Reservation.Outcome outcome = capacityLedger.hold(transaction, execution.executionId(),
                    RegistrationStates.daysOf(held), held, execution.registrationDigest()).outcome();
            switch (outcome) {
                case CONFIRMED -> {
                    transaction.commit();
                    execution.recorded(waiting);
                    LOG.info("Execution {} awaits approval until {}", execution.executionId(), deadline);
                    return new TaskResult(TaskResult.WAITING, held, List.of());
                }
                case NO_SPOTS -> {
                    return TaskResult.rejected(held);
                }
                case SAME_REGISTRATION_CONFIRMED -> {
                    return TaskResult.alreadyConfirmed(held);
                }
                case CHILD_ALREADY_REGISTERED -> {
                    return TaskResult.alreadyRegistered(held);
                }
                default -> throw new IllegalStateException("Await Approval's hold answered " + outcome);
            }
        } catch (JdbcExecutionStore.IdempotencyKeyTaken twin) {
            LOG.info("Execution {} discarded: another with its Idempotency-Key was recorded first", execution.executionId());
            execution.lostToKeyTwin(true);
            return TaskResult.alreadyConfirmed(held);
        }
    }

    /** The answer to a submission that waits: 202, the state (with the place on the waitlist), and the status token. */
    public ResultDocument waiting(RunningExecution execution) {
        ExecutionResult waiting = execution.recordedAs();
        if (WAITLISTED_STATE.equals(waiting.state())) {
            int position = capacityLedger.waitlistPosition(execution.executionId());
            // 0: promoted already, in the very transaction it joined in; the status link shows it moving on
            waiting = waiting.withPosition(position == 0 ? null : position);
        }
        return answer(execution, waiting);
    }

    /**
     * Waitlisted's durable point: the registration joins the end of the waitlist and the execution is recorded RUNNING
     * in this state until daycare.waitlist.max-wait has passed, with its history and the WAITLISTED notification, in
     * one transaction that holds every day's lock, so that no spot that frees meanwhile is missed: if one is free now
     * that it fits, it is promoted at once (and taken up by the deadline sweep). 202 when it waits; 409 when the
     * child holds or waits with another registration; 303 when this same registration is already there.
     */
    public TaskResult joinWaitlist(@ExchangeProperty(EXECUTION) RunningExecution execution, @Body TaskResult full)
            throws JsonProcessingException {
        Registration waiting = full.registration();
        ExecutionResult result = ExecutionResult.waiting(execution.executionId(), WAITLISTED_STATE);
        Instant deadline = clock.instant().plus(waitlistMaxWait);
        Completion completion = completionOf(execution.executionId(), execution.events(), result, deadline, waiting);
        try (StoreTransaction transaction = store.newTransaction()) {
            capacityLedger.lockDays(transaction);
            store.record(transaction, execution.started(), completion);
            CapacityLedger.Reservation.Outcome outcome = capacityLedger.joinWaitlist(transaction, execution.executionId(),
                    RegistrationStates.daysOf(waiting), waiting, execution.registrationDigest()).outcome();
            switch (outcome) {
                case CONFIRMED -> {
                    promoteWaitlisted(transaction);
                    transaction.commit();
                    execution.recorded(result);
                    LOG.info("Execution {} joined the waitlist until {}", execution.executionId(), deadline);
                    return new TaskResult(TaskResult.WAITING, waiting, List.of());
                }
                case SAME_REGISTRATION_CONFIRMED -> {
                    return TaskResult.alreadyConfirmed(waiting);
                }
                case CHILD_ALREADY_REGISTERED -> {
                    return TaskResult.alreadyRegistered(waiting);
                }
                default -> throw new IllegalStateException("Waitlisted's join answered " + outcome);
            }
        } catch (JdbcExecutionStore.IdempotencyKeyTaken twin) {
            LOG.info("Execution {} discarded: another with its Idempotency-Key was recorded first", execution.executionId());
            execution.lostToKeyTwin(true);
            return TaskResult.alreadyConfirmed(waiting);
        }
    }

    /**
     * Within a transaction holding every day's lock, after spots may have freed: the waitlisted registrations that
     * now fit are promoted, oldest first (see {@link CapacityLedger#promote}). Each moves to Check Spots Availability,
     * due at once: the deadline sweep takes it up and runs it on, on whichever instance, and again after a crash.
     */
    private List<String> promoteWaitlisted(StoreTransaction transaction) throws JsonProcessingException {
        Instant now = clock.instant();
        List<String> promoted = capacityLedger.promote(transaction, executionId -> {
            try {
                return store.moveWaiting(transaction, executionId, WAITLISTED_STATE, CHECK_SPOTS_STATE,
                        resultDocuments.toJsonText(ExecutionResult.waiting(executionId, CHECK_SPOTS_STATE)), now);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        promoted.forEach(executionId -> LOG.info("Execution {} promoted from the waitlist", executionId));
        return promoted;
    }

    /** What a day's new total did, and the registrations it promoted from the waitlist. */
    public record CapacityChange(CapacityLedger.TotalChange outcome, List<String> promoted) {
    }

    /**
     * PUT /capacity/{day}: a day's total, changed at run time (it survives restarts: the database wins over the
     * configuration, which only seeds it); never below what is reserved. A raise promotes from the waitlist at once.
     */
    public CapacityChange changeCapacity(DayOfWeek day, int total) throws JsonProcessingException {
        try (StoreTransaction transaction = store.newTransaction()) {
            capacityLedger.lockDays(transaction);
            CapacityLedger.TotalChange outcome = capacityLedger.changeTotal(transaction, day, total);
            List<String> promoted = outcome == CapacityLedger.TotalChange.CHANGED
                    ? promoteWaitlisted(transaction) : List.of();
            transaction.commit();
            return new CapacityChange(outcome, promoted);
        }
    }

    /**
     * Takes up a recorded execution for a decision, a deadline or a cancellation (the exchange properties RESUME_ID,
     * DECISION and REASON): the exchange gets it as its execution, and its registration as the body, for the router
     * after this to send it on. A waiting execution leaves Await Approval here, saying how.
     *
     * @throws ExecutionNotFound no such execution
     * @throws NotAwaitingApproval a decision or deadline on one that is not awaiting approval
     * @throws NotCancellable a cancellation of one that already failed or was cancelled
     */
    public void resume(Exchange exchange) throws JsonProcessingException {
        String executionId = exchange.getProperty(RESUME_ID, String.class);
        Decision decision = exchange.getProperty(DECISION, Decision.class);
        String reason = exchange.getProperty(REASON, String.class);
        // The registration before the record: an end that releases the spots moves the record on in the same commit,
        // so a record still waiting or confirmed when read after it means it was there. (Read the other way round, an
        // end committing between the two reads would leave a waiting record without its registration.)
        Optional<String> held = capacityLedger.heldRegistration(executionId);
        ExecutionRecord record = store.find(executionId).orElseThrow(ExecutionNotFound::new);
        boolean running = "RUNNING".equals(record.status());
        String state = record.state();
        boolean awaitingApproval = running && AWAIT_APPROVAL_STATE.equals(state);
        boolean waitlisted = running && WAITLISTED_STATE.equals(state);
        boolean promoted = running && CHECK_SPOTS_STATE.equals(state);
        boolean applies = switch (decision) {
            case APPROVED, REJECTED, TIMED_OUT -> awaitingApproval;
            case PROMOTED -> promoted;
            case EXPIRED -> waitlisted;
            case CANCELLED -> awaitingApproval || waitlisted || promoted || "SUCCEEDED".equals(record.status());
        };
        if (!applies) {
            throw decision == Decision.CANCELLED ? new NotCancellable() : new NotAwaitingApproval();
        }
        String registration = held
                .orElseThrow(() -> new IllegalStateException("execution " + executionId + " holds no registration"));
        String cause = decision == Decision.EXPIRED
                ? "No spot opened within the waitlist's maximum wait (" + waitlistMaxWait + ")." : reason;
        RunningExecution execution = RunningExecution.resumed(new NewExecution(executionId, record.source(),
                record.inputDocument(), record.requestDigest(), null, null, null, null, record.statusTokenDigest(),
                record.startedAt()), clock, record.status(), running ? state : null, store.history(executionId).size(),
                cause);
        if (awaitingApproval) {
            execution.exited(AWAIT_APPROVAL_STATE, decision.statusCode,
                    reason == null ? decision.detail : decision.detail + ": " + reason);
        } else if (waitlisted || promoted) {
            execution.exited(WAITLISTED_STATE, decision.statusCode, decision.detail);
        }
        exchange.setProperty(EXECUTION, execution);
        exchange.setProperty(RegistrationStates.EXECUTION_ID, executionId);
        exchange.setProperty(SOURCE, record.source());
        exchange.setProperty(RESUMED_STATE, waitlisted || promoted ? WAITLISTED_STATE : state);
        exchange.setProperty(SPOTS_HELD, decision == Decision.PROMOTED);
        // the decision as a status code, for the router after (as every task answers its router)
        exchange.getMessage().setBody(new TaskResult(decision.statusCode,
                objectMapper.readValue(registration, Registration.class), List.of()));
    }

    /**
     * The Cancelled end: a waiting execution's hold, or a confirmed registration's spots, are released, and it ends
     * CANCELLED, notified, unless another decision or cancellation won.
     */
    public ResultDocument cancelled(RunningExecution execution) throws JsonProcessingException {
        execution.entered(CANCELLED_STATE);
        ExecutionResult result = ExecutionResult.cancelled(execution.executionId());
        try (StoreTransaction transaction = store.newTransaction()) {
            capacityLedger.lockDays(transaction);
            if (!store.advance(transaction, execution.resumedFrom(), execution.resumedState(),
                    completionOf(execution.executionId(), execution.events(), result, null, null))) {
                throw lostRace(execution, new NotCancellable());
            }
            leave(transaction, execution.executionId());
            transaction.commit();
        }
        recordedEnd(execution, result);
        return result;
    }

    /**
     * A resumed execution's document as its dropped file's NAME.result.json: with the status token, as the waiting
     * document it replaces had it (the file is the submission's own answer, the family's only copy of the token).
     */
    public ResultDocument forResultFile(@ExchangeProperty(EXECUTION) RunningExecution execution, @Body ResultDocument document) {
        return document instanceof ExecutionResult result && execution != null
                ? result.withStatusToken(statusTokens.tokenFor(execution.executionId())) : document;
    }

    /** At most this many due executions per sweep; a full one is followed by another at once. */
    public static final int SWEEP_SIZE = 100;

    /**
     * Executions due now: approvals past their deadline, waitlisted registrations past their maximum wait, and
     * promoted ones (due at once); the deadline sweep takes each up with the decision {@link #decisionWhenDue}.
     */
    public List<JdbcExecutionStore.Due> pastDeadlines() {
        return store.pastDeadline(clock.instant(), SWEEP_SIZE);
    }

    /** What a due execution is taken up for, by the state it waits in. */
    public Decision decisionWhenDue(@Body JdbcExecutionStore.Due due) {
        return switch (due.state()) {
            case WAITLISTED_STATE -> Decision.EXPIRED;
            case CHECK_SPOTS_STATE -> Decision.PROMOTED;
            default -> Decision.TIMED_OUT;
        };
    }

    /** The registration awaiting approval of each waiting execution, oldest first. */
    public List<Waiting> awaitingApproval() throws JsonProcessingException {
        List<Waiting> waiting = new ArrayList<>();
        for (ExecutionRecord record : store.waitingIn(AWAIT_APPROVAL_STATE, 500)) {
            Optional<String> held = capacityLedger.heldRegistration(record.executionId());
            if (held.isPresent()) {
                waiting.add(new Waiting(record.executionId(), record.startedAt(), record.deadlineAt(),
                        objectMapper.readValue(held.get(), Registration.class)));
            }
        }
        return waiting;
    }

    /** A registration awaiting approval, since it was submitted, until its deadline. */
    public record Waiting(String executionId, Instant since, Instant deadline, Registration registration) {
    }

    /** The first answer of a new execution carries its status token; a resumed one's (a decision's) does not. */
    private ResultDocument answer(RunningExecution execution, ExecutionResult result) {
        return execution.resumedFrom() == null ? result.withStatusToken(statusTokens.tokenFor(execution.executionId())) : result;
    }

    public ResultDocument failed(RunningExecution execution, WorkflowError error, TaskResult last)
            throws JsonProcessingException {
        execution.entered(error.endState());
        String cause = execution.reason() != null ? execution.reason() : error.cause();
        return end(execution, ExecutionResult.failed(execution.executionId(), error, cause, last.problems()));
    }

    /**
     * This same registration was confirmed by a concurrent execution while this one ran (a retry that raced the
     * first): this one is forgotten (it reserved nothing and recorded nothing) and answered with that
     * confirmation, as a later retry would be.
     */
    public ResultDocument alreadyConfirmed(RunningExecution execution, TaskResult last) {
        LOG.info("Execution {} discarded: a concurrent execution answered the same submission", execution.executionId());
        NewExecution started = execution.started();
        // a retry under the same Idempotency-Key gets the key's first response, whatever path it lost on
        if (execution.lostToKeyTwin()) {
            return replayOf(twinHolding(started.idempotencyKey()), started.requestDigest());
        }
        Optional<ExecutionRecord> first = started.idempotencyKey() == null ? Optional.empty()
                : store.findByIdempotencyKey(started.idempotencyKey());
        if (first.isPresent()) {
            return replayOf(first.get(), started.requestDigest());
        }
        return capacityLedger.confirmationFor(last.registration().child().identityKey())
                .map(this::retryAnswer)
                .orElseThrow(() -> new IllegalStateException("confirmation vanished for execution " + execution.executionId()));
    }

    /** An execution that broke on a defect of ours still ends, FAILED with InternalError, and is notified. */
    public ResultDocument failedOnDefect(@ExchangeProperty(EXECUTION) RunningExecution execution) throws JsonProcessingException {
        if (execution == null) {
            return ExecutionResult.failed(null, WorkflowError.InternalError, List.of());
        }
        if (execution.recordedAs() != null) {
            // past its durable end: what was recorded (and notified) stands, and is the answer
            LOG.warn("Execution {} had ended {} before the defect; that is its answer", execution.executionId(),
                    execution.recordedAs().status());
            return answer(execution, execution.recordedAs());
        }
        execution.entered(WorkflowError.InternalError.endState());
        return end(execution, ExecutionResult.failed(execution.executionId(), WorkflowError.InternalError, List.of()));
    }

    /**
     * A failure end, the execution's durable point: its record, history and notification in one transaction. If
     * a concurrent twin with the same Idempotency-Key was recorded first, this one is rolled back and answered as
     * the twin was when it sent the same document, else refused.
     */
    private ResultDocument end(RunningExecution execution, ExecutionResult result) throws JsonProcessingException {
        NewExecution started = execution.started();
        Completion completion = completionOf(execution.executionId(), execution.events(), result, null, null);
        if (execution.resumedFrom() != null) {
            // rejected, timed out or expired: its hold or its place is given up, unless another decision won
            try (StoreTransaction transaction = store.newTransaction()) {
                capacityLedger.lockDays(transaction);
                if (!store.advance(transaction, execution.resumedFrom(), execution.resumedState(), completion)) {
                    throw lostRace(execution, new NotAwaitingApproval());
                }
                leave(transaction, execution.executionId());
                transaction.commit();
            }
            recordedEnd(execution, result);
            return result;
        }
        try (StoreTransaction transaction = store.newTransaction()) {
            store.record(transaction, started, completion);
            transaction.commit();
        } catch (JdbcExecutionStore.IdempotencyKeyTaken twin) {
            LOG.info("Execution {} discarded: another with its Idempotency-Key was recorded first", execution.executionId());
            ExecutionRecord first = twinHolding(started.idempotencyKey());
            return replayOf(first, started.requestDigest());
        }
        recordedEnd(execution, result);
        return answer(execution, result);
    }

    /**
     * Within a transaction holding every day's lock: an ending execution gives up its spots (held or confirmed) or
     * its place on the waitlist, and the spots freed go to the waitlist, oldest first.
     */
    private void leave(StoreTransaction transaction, String executionId) throws JsonProcessingException {
        capacityLedger.leaveWaitlist(transaction, executionId);
        if (capacityLedger.release(transaction, executionId)) {
            promoteWaitlisted(transaction);
        }
    }

    /**
     * A resumed execution was moved on by another decision, deadline or cancellation after this one took it up: its
     * conditional update found it no longer in the status it was taken up in. Logged, so that the contended path shows.
     */
    private static RuntimeException lostRace(RunningExecution execution, RuntimeException conflict) {
        LOG.info("Execution {} lost the race to another decision", execution.executionId());
        return conflict;
    }

    /**
     * The execution that holds an Idempotency-Key this one collided on. PostgreSQL reports the collision once the
     * holder committed; H2 may report it while the holder is still committing, so it is waited for, briefly.
     */
    private ExecutionRecord twinHolding(String idempotencyKey) {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            Optional<ExecutionRecord> first = store.findByIdempotencyKey(idempotencyKey);
            if (first.isPresent()) {
                return first.get();
            }
            if (System.nanoTime() > giveUpAt) {
                throw new IllegalStateException("the execution holding an Idempotency-Key vanished");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an Idempotency-Key's holder", e);
            }
        }
    }

    /** Once recorded (committed): a discarded twin or a failed commit is no execution, and is not counted. */
    private void recordedEnd(RunningExecution execution, ExecutionResult result) {
        execution.recorded(result);
        metrics.ended(result, Duration.between(execution.started().startedAt(), clock.instant()));
        LOG.info("Execution {} ended: {}{}", result.executionId(), result.status(),
                result.error() == null ? "" : " " + result.error());
    }

    /**
     * A durable point's record: the result document (never the status token), the events, and the notification:
     * the result document, or, for an execution that starts waiting, its registration for the director.
     *
     * @param deadline until when a waiting execution waits; null for an end
     * @param waitingFor the registration a waiting execution asks approval of (the notification's message)
     */
    private Completion completionOf(String executionId, List<ExecutionEvent> events, ExecutionResult result,
            Instant deadline, Registration waitingFor) throws JsonProcessingException {
        String resultDocument = resultDocuments.toJsonText(result);
        boolean waits = result.status() == ExecutionResult.Status.RUNNING;
        String message = waits ? objectMapper.writeValueAsString(waitingFor) : resultDocument;
        OutcomeNotification notification = OutcomeNotification.of(result, message);
        Instant now = clock.instant();
        return new Completion(executionId, result.status().name(), result.state(), deadline,
                result.error() == null ? null : result.error().name(), result.cause(), resultDocument,
                events,
                new JdbcExecutionStore.Notification(notification.attributes().get("outcome"), notification.subject(),
                        objectMapper.writeValueAsString(notification.attributes()), message),
                waits ? null : now, now);
    }

    /**
     * The first response to an Idempotency-Key, for the same document only, with the status token it carried (the
     * key's holder sent the document that got it). Its status is the execution's now: a registration that waited and
     * was since approved is answered as confirmed.
     */
    private ResultDocument replayOf(ExecutionRecord first, String requestDigest) {
        if (!requestDigest.equals(first.requestDigest())) {
            throw new IdempotencyKeyReusedException();
        }
        WorkflowError error = first.error() == null ? null : WorkflowError.valueOf(first.error());
        try {
            ObjectNode answer = (ObjectNode) objectMapper.readTree(first.resultDocument());
            String token = statusTokens.tokenFor(first.executionId());
            if (StatusTokens.digestOf(token).equals(first.statusTokenDigest())) {
                answer.put("statusToken", token);
            } else {
                // made under another key: an instance with its own generated key, or a key since changed
                LOG.warn("Execution {} was answered again without its status token: it was made with another"
                        + " daycare.status-token.secret (instances sharing a database must share one)", first.executionId());
            }
            return new StoredResult(json(answer),
                    ExecutionResult.httpStatusFor(ExecutionResult.Status.valueOf(first.status()), error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored result of " + first.executionId() + " is not JSON", e);
        }
    }

    /**
     * A keyless retry of the registration a child holds: its confirmation, or, while it awaits approval, that it
     * waits. No status token: whoever sent the same document again may not be whoever sent it first.
     */
    private ResultDocument retryAnswer(CapacityLedger.Confirmation confirmation) {
        if (confirmation.held()) {
            // it waits (for the director, on the waitlist, or runs on after a promotion): where it stands, as stored
            ExecutionRecord waiting = store.find(confirmation.executionId()).orElseThrow(
                    () -> new IllegalStateException("execution " + confirmation.executionId() + " vanished"));
            return new StoredResult(waiting.resultDocument(), 202);
        }
        return confirmationAnswer(confirmation);
    }

    private ResultDocument confirmationAnswer(CapacityLedger.Confirmation confirmation) {
        try {
            ObjectNode answer = objectMapper.createObjectNode()
                    .put("executionId", confirmation.executionId())
                    .put("status", ExecutionResult.Status.SUCCEEDED.name());
            answer.set("output", objectMapper.readTree(confirmation.outputDocument()));
            return new StoredResult(json(answer), 200);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored confirmation of " + confirmation.executionId() + " is not JSON", e);
        }
    }

    /** Through the ObjectMapper: JsonNode.toString would turn a lone surrogate into "?". */
    private String json(JsonNode document) throws JsonProcessingException {
        return objectMapper.writeValueAsString(document);
    }

    /** The child's identity, when the document names one well enough to compare (before any validation). */
    private static Optional<String> childKeyOf(JsonNode document) {
        JsonNode child = document.path("registration_info").path("child");
        JsonNode first = child.path("firstName");
        JsonNode last = child.path("lastName");
        JsonNode born = child.path("dateOfBirth");
        if (!first.isTextual() || !last.isTextual() || !born.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(Registration.Child.identityKey(first.textValue(), last.textValue(), born.textValue()));
    }

    private static String searchKey(JsonNode value, int maxLength) {
        return value.isTextual() ? truncate(value.textValue().strip().toLowerCase(Locale.ROOT), maxLength) : null;
    }

    private static String truncate(String text, int maxLength) {
        return text.length() <= maxLength ? text : text.substring(0, maxLength);
    }
}
