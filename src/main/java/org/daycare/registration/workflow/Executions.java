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
import io.micrometer.core.instrument.MeterRegistry;
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
     * {@link ResultDocument}, or stays the document with the new execution on the exchange. Whatever way the
     * exchange ends, an execution transaction still open then is rolled back.
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
                clock.instant()), registrationDigest, clock, store::newTransaction);
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
     * This same registration was confirmed by a concurrent execution while this one ran (a retry that raced the
     * first): this one is forgotten (it reserved nothing and recorded nothing) and answered with that
     * confirmation, as a later retry would be.
     */
    public ResultDocument alreadyConfirmed(RunningExecution execution, TaskResult last) {
        execution.abandon();
        LOG.info("Execution {} discarded: the same registration was confirmed concurrently", execution.executionId());
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
        // whatever it wrote before the defect goes (a reservation included); the failure is recorded on its own
        execution.abandon();
        execution.entered(WorkflowError.InternalError.endState());
        return end(execution, ExecutionResult.failed(execution.executionId(), WorkflowError.InternalError, List.of()));
    }

    /**
     * Records the execution's end and commits its transaction. If a concurrent twin with the same Idempotency-Key
     * was recorded first, this one is rolled back (its reservation too) and answered as the twin was when it sent
     * the same document, else refused.
     */
    private ResultDocument end(RunningExecution execution, ExecutionResult result) throws JsonProcessingException {
        NewExecution started = execution.started();
        try {
            store.record(execution.transaction(), started, completionOf(execution, result));
            execution.commit();
        } catch (JdbcExecutionStore.IdempotencyKeyTaken twin) {
            execution.abandon();
            LOG.info("Execution {} discarded: another with its Idempotency-Key was recorded first", execution.executionId());
            ExecutionRecord first = store.findByIdempotencyKey(started.idempotencyKey()).orElseThrow(
                    () -> new IllegalStateException("the execution holding an Idempotency-Key vanished"));
            return replayOf(first, started.requestDigest());
        } finally {
            execution.abandon();
        }
        // counted once recorded: a discarded twin or a failed commit is no execution
        metrics.ended(result, Duration.between(started.startedAt(), clock.instant()));
        LOG.info("Execution {} ended: {}{}", execution.executionId(), result.status(),
                result.error() == null ? "" : " " + result.error());
        return result;
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
