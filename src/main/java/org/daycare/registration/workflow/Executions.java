package org.daycare.registration.workflow;

import java.time.Clock;
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
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;
import org.daycare.registration.notify.OutcomeNotification;
import org.daycare.registration.rules.Registration;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.ExecutionRecord;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.store.JdbcExecutionStore.Completion;
import org.daycare.registration.store.JdbcExecutionStore.NewExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of an execution around the four tasks: what happens before one starts (a repeated submission is
 * answered from the store), its start, the states it enters and leaves, and its end. An execution is one
 * database transaction: its reservation (Confirm Registration), its record, its history and its outcome
 * notification commit together when it ends, so that it costs one commit, and an execution interrupted by a crash
 * leaves nothing behind (its client had no answer; its dropped file is still in the inbox). The routes call these
 * methods; the tasks themselves stay pure rules.
 */
public final class Executions {

    public static final String EXECUTION = "execution";
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String SOURCE = "source";
    /** The source of a dropped file's execution: this prefix and the file's name. */
    public static final String FILE_SOURCE_PREFIX = "file:";
    public static final String SUCCEEDED_STATE = "Succeeded";
    public static final String ALREADY_CONFIRMED_STATE = "Already Confirmed";

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

    public Executions(JdbcExecutionStore store, CapacityLedger capacityLedger, ResultDocuments resultDocuments,
            ObjectMapper objectMapper, Clock clock) {
        this.store = store;
        this.capacityLedger = capacityLedger;
        this.resultDocuments = resultDocuments;
        this.objectMapper = objectMapper;
        this.clock = clock;
    }

    /**
     * A submission that was answered before is answered the same way and starts nothing: the first response for
     * a repeated Idempotency-Key, or, for a child who already holds a confirmed registration, that confirmation
     * (200, same executionId). Null when a new execution should start.
     */
    ResultDocument previousAnswer(JsonNode document, String idempotencyKey) throws JsonProcessingException {
        if (idempotencyKey != null) {
            Optional<ExecutionRecord> first = store.findByIdempotencyKey(idempotencyKey);
            if (first.isPresent()) {
                return answerOf(first.get());
            }
        }
        return childKeyOf(document).flatMap(capacityLedger::confirmationFor).map(this::confirmationAnswer).orElse(null);
    }

    /**
     * Answers a repeated submission from the store, or starts a new execution: the body becomes the stored
     * {@link ResultDocument}, or stays the document with the new execution on the exchange. Whatever way the
     * exchange ends, an execution transaction still open then is rolled back.
     */
    public void begin(Exchange exchange) throws JsonProcessingException {
        JsonNode document = exchange.getMessage().getBody(JsonNode.class);
        String idempotencyKey = exchange.getProperty(IDEMPOTENCY_KEY, String.class);
        ResultDocument previous = previousAnswer(document, idempotencyKey);
        if (previous != null) {
            exchange.getMessage().setBody(previous);
            return;
        }
        JsonNode child = document.path("registration_info").path("child");
        JsonNode parents = document.path("registration_info").path("parents");
        RunningExecution execution = new RunningExecution(new NewExecution(EXECUTION_IDS.generate().toString(),
                truncate(exchange.getProperty(SOURCE, "unknown", String.class), 300),
                objectMapper.writeValueAsString(document),
                idempotencyKey,
                searchKey(child.path("lastName"), 100),
                searchKey(parents.path("mother").path("email"), 254),
                searchKey(parents.path("father").path("email"), 254),
                clock.instant()), clock, store::newTransaction);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                execution.abandon();
            }
        });
        exchange.setProperty(EXECUTION, execution);
        exchange.setProperty(RegistrationStates.EXECUTION_ID, execution.executionId());
    }

    public void entered(RunningExecution execution, String state) {
        execution.entered(state);
    }

    public void exited(RunningExecution execution, String state, int statusCode) {
        execution.exited(state, statusCode);
    }

    public ResultDocument succeeded(RunningExecution execution, TaskResult last) throws JsonProcessingException {
        execution.entered(SUCCEEDED_STATE);
        return end(execution, ExecutionResult.succeeded(execution.executionId(), last.registration()));
    }

    public ResultDocument failed(RunningExecution execution, WorkflowError error, TaskResult last)
            throws JsonProcessingException {
        execution.entered(error.endState());
        return end(execution, ExecutionResult.failed(execution.executionId(), error, last.problems()));
    }

    /**
     * The same child was confirmed by a concurrent execution while this one ran: this one is forgotten (it
     * reserved nothing and recorded nothing) and answered with that confirmation, as a later duplicate would be.
     */
    public ResultDocument alreadyConfirmed(RunningExecution execution, TaskResult last) {
        execution.abandon();
        LOG.info("Execution {} discarded: the child's registration was confirmed concurrently", execution.executionId());
        return capacityLedger.confirmationFor(last.registration().child().identityKey())
                .map(this::confirmationAnswer)
                .orElseThrow(() -> new IllegalStateException("confirmation vanished for execution " + execution.executionId()));
    }

    /** An execution that broke on a defect of ours still ends, FAILED with InternalError, and is notified. */
    public ResultDocument failedOnDefect(@ExchangeProperty(EXECUTION) RunningExecution execution) throws JsonProcessingException {
        if (execution == null) {
            return ExecutionResult.failed(null, WorkflowError.InternalError, List.of());
        }
        // whatever it wrote before the defect goes (a reservation included); the failure is recorded on its own
        execution.abandon();
        execution.entered(WorkflowError.InternalError.endState());
        return end(execution, ExecutionResult.failed(execution.executionId(), WorkflowError.InternalError, List.of()));
    }

    /**
     * Ends executions left RUNNING by a stop or a kill of an earlier version, which recorded each execution when
     * it started (this one writes an execution only when it ends, so it leaves none). One whose registration was already confirmed is completed as SUCCEEDED (its spots are
     * held). One that came from a dropped file is discarded: it answered nobody and reserved nothing, and its file,
     * which only leaves the inbox once answered, is run again (or already was, by the time this sweep sees it), so
     * each file keeps exactly one execution. Any other is
     * closed as FAILED with ExecutionInterrupted. The completed and the closed are notified.
     */
    public int closeInterrupted(long staleAfterSeconds) throws JsonProcessingException {
        int closed = 0;
        for (ExecutionRecord stale : store.runningSince(clock.instant().minus(Duration.ofSeconds(staleAfterSeconds)))) {
            RunningExecution execution = new RunningExecution(new NewExecution(stale.executionId(), stale.source(),
                    stale.inputDocument(), null, null, null, null, stale.startedAt()), clock, store::newTransaction);
            JsonNode document = objectMapper.readTree(stale.inputDocument());
            Optional<CapacityLedger.Confirmation> confirmation = childKeyOf(document)
                    .flatMap(capacityLedger::confirmationFor)
                    .filter(c -> c.executionId().equals(stale.executionId()));
            if (confirmation.isEmpty() && stale.source().startsWith(FILE_SOURCE_PREFIX)) {
                store.discard(stale.executionId());
                LOG.info("Execution {} discarded: interrupted, and its dropped file is run again",
                        stale.executionId());
                closed++;
                continue;
            }
            ExecutionResult result;
            if (confirmation.isPresent()) {
                execution.entered(SUCCEEDED_STATE);
                result = ExecutionResult.succeeded(stale.executionId(),
                        objectMapper.readValue(confirmation.get().outputDocument(), Registration.class));
            } else {
                execution.entered(WorkflowError.ExecutionInterrupted.endState());
                result = ExecutionResult.failed(stale.executionId(), WorkflowError.ExecutionInterrupted, List.of());
            }
            closeStale(execution, result);
            closed++;
        }
        if (closed > 0) {
            LOG.warn("Closed {} execution(s) interrupted by a stop of the service", closed);
        }
        return closed;
    }

    /**
     * Records the execution's end and commits its transaction. If a concurrent twin with the same Idempotency-Key
     * was recorded first, this one is rolled back (its reservation too) and answered as the twin was.
     */
    private ResultDocument end(RunningExecution execution, ExecutionResult result) throws JsonProcessingException {
        NewExecution started = execution.started();
        try {
            store.record(execution.transaction(), started, completionOf(execution, result));
            execution.commit();
        } catch (JdbcExecutionStore.IdempotencyKeyTaken twin) {
            execution.abandon();
            LOG.info("Execution {} discarded: another with its Idempotency-Key was recorded first", execution.executionId());
            Optional<ExecutionRecord> first = store.findByIdempotencyKey(started.idempotencyKey());
            if (first.isEmpty()) {
                throw new IllegalStateException("the execution holding an Idempotency-Key vanished");
            }
            return answerOf(first.get());
        } finally {
            execution.abandon();
        }
        LOG.info("Execution {} ended: {}{}", execution.executionId(), result.status(),
                result.error() == null ? "" : " " + result.error());
        return result;
    }

    private void closeStale(RunningExecution execution, ExecutionResult result) throws JsonProcessingException {
        if (store.finish(completionOf(execution, result))) {
            LOG.info("Execution {} closed: {}{}", execution.executionId(), result.status(),
                    result.error() == null ? "" : " " + result.error());
        }
    }

    private Completion completionOf(RunningExecution execution, ExecutionResult result) throws JsonProcessingException {
        String resultDocument = resultDocuments.toJsonText(result);
        OutcomeNotification notification = OutcomeNotification.of(result, resultDocument);
        return new Completion(execution.executionId(), result.status().name(),
                result.error() == null ? null : result.error().name(), result.cause(), resultDocument,
                execution.events(),
                new JdbcExecutionStore.Notification(notification.subject(),
                        objectMapper.writeValueAsString(notification.attributes()), resultDocument),
                clock.instant());
    }

    private ResultDocument answerOf(ExecutionRecord first) throws JsonProcessingException {
        if (first.resultDocument() == null) {
            ObjectNode inProgress = objectMapper.createObjectNode()
                    .put("executionId", first.executionId())
                    .put("error", "ExecutionInProgress")
                    .put("cause", "An execution with this Idempotency-Key is still running; ask again shortly.");
            return new StoredResult(json(inProgress), 409);
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
