package org.daycare.registration.workflow;

import java.time.Clock;
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

    /** @param meters where the executions' counter and duration histogram are registered (see {@link ExecutionMetrics}) */
    public Executions(JdbcExecutionStore store, CapacityLedger capacityLedger, ResultDocuments resultDocuments,
            ObjectMapper objectMapper, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.capacityLedger = capacityLedger;
        this.resultDocuments = resultDocuments;
        this.objectMapper = objectMapper;
        this.clock = clock;
        this.metrics = new ExecutionMetrics(meters);
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
                .map(this::confirmationAnswer)
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
        RunningExecution execution = new RunningExecution(new NewExecution(EXECUTION_IDS.generate().toString(),
                truncate(exchange.getProperty(SOURCE, "unknown", String.class), 300),
                objectMapper.writeValueAsString(document),
                requestDigest,
                idempotencyKey,
                searchKey(child.path("lastName"), 100),
                searchKey(parents.path("mother").path("email"), 254),
                searchKey(parents.path("father").path("email"), 254),
                clock.instant()), registrationDigest, clock);
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
        events.add(new ExecutionEvent(events.size() + 1, CONFIRM_STATE, ExecutionEvent.Type.EXITED, TaskResult.OK, clock.instant()));
        events.add(new ExecutionEvent(events.size() + 1, SUCCEEDED_STATE, ExecutionEvent.Type.ENTERED, null, clock.instant()));
        try (StoreTransaction transaction = store.newTransaction()) {
            store.record(transaction, execution.started(), completionOf(execution.executionId(), events, result));
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
            return CapacityLedger.Reservation.Outcome.SAME_REGISTRATION_CONFIRMED;
        }
    }

    /** The Succeeded end: Confirm Registration recorded it with the confirmation. */
    public ResultDocument succeeded(RunningExecution execution) {
        ExecutionResult result = execution.endedWith();
        if (result == null || !result.succeeded()) {
            throw new IllegalStateException("execution " + execution.executionId() + " reached Succeeded unconfirmed");
        }
        return result;
    }

    public ResultDocument failed(RunningExecution execution, WorkflowError error, TaskResult last)
            throws JsonProcessingException {
        execution.entered(error.endState());
        return end(execution, ExecutionResult.failed(execution.executionId(), error, last.problems()));
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
        Optional<ExecutionRecord> first = started.idempotencyKey() == null ? Optional.empty()
                : store.findByIdempotencyKey(started.idempotencyKey());
        if (first.isPresent()) {
            return replayOf(first.get(), started.requestDigest());
        }
        return capacityLedger.confirmationFor(last.registration().child().identityKey())
                .map(this::confirmationAnswer)
                .orElseThrow(() -> new IllegalStateException("confirmation vanished for execution " + execution.executionId()));
    }

    /** An execution that broke on a defect of ours still ends, FAILED with InternalError, and is notified. */
    public ResultDocument failedOnDefect(@ExchangeProperty(EXECUTION) RunningExecution execution) throws JsonProcessingException {
        if (execution == null) {
            return ExecutionResult.failed(null, WorkflowError.InternalError, List.of());
        }
        if (execution.endedWith() != null) {
            // past its durable end: what was recorded (and notified) stands, and is the answer
            LOG.warn("Execution {} had ended {} before the defect; that is its answer", execution.executionId(),
                    execution.endedWith().status());
            return execution.endedWith();
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
        try (StoreTransaction transaction = store.newTransaction()) {
            store.record(transaction, started, completionOf(execution.executionId(), execution.events(), result));
            transaction.commit();
        } catch (JdbcExecutionStore.IdempotencyKeyTaken twin) {
            LOG.info("Execution {} discarded: another with its Idempotency-Key was recorded first", execution.executionId());
            ExecutionRecord first = store.findByIdempotencyKey(started.idempotencyKey()).orElseThrow(
                    () -> new IllegalStateException("the execution holding an Idempotency-Key vanished"));
            return replayOf(first, started.requestDigest());
        }
        recordedEnd(execution, result);
        return result;
    }

    /** Once recorded (committed): a discarded twin or a failed commit is no execution, and is not counted. */
    private void recordedEnd(RunningExecution execution, ExecutionResult result) {
        execution.ended(result);
        metrics.ended(result, Duration.between(execution.started().startedAt(), clock.instant()));
        LOG.info("Execution {} ended: {}{}", result.executionId(), result.status(),
                result.error() == null ? "" : " " + result.error());
    }

    private Completion completionOf(String executionId, List<ExecutionEvent> events, ExecutionResult result)
            throws JsonProcessingException {
        String resultDocument = resultDocuments.toJsonText(result);
        OutcomeNotification notification = OutcomeNotification.of(result, resultDocument);
        return new Completion(executionId, result.status().name(),
                result.error() == null ? null : result.error().name(), result.cause(), resultDocument,
                events,
                new JdbcExecutionStore.Notification(notification.attributes().get("outcome"), notification.subject(),
                        objectMapper.writeValueAsString(notification.attributes()), resultDocument),
                clock.instant());
    }

    /** The first response to an Idempotency-Key, for the same document only. */
    private ResultDocument replayOf(ExecutionRecord first, String requestDigest) {
        if (!requestDigest.equals(first.requestDigest())) {
            throw new IdempotencyKeyReusedException();
        }
        WorkflowError error = first.error() == null ? null : WorkflowError.valueOf(first.error());
        return new StoredResult(first.resultDocument(),
                ExecutionResult.httpStatusFor(ExecutionResult.Status.valueOf(first.status()), error));
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
