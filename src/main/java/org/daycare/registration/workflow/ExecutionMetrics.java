package org.daycare.registration.workflow;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of ended executions, in Prometheus terms {@code daycare_executions_total{status,error}} and the histogram
 * {@code daycare_execution_duration_seconds{status}}. Every status and error is registered at start-up, so that each
 * series exists (at 0) before its first execution and a rate over it is defined. Labels carry outcomes only, never
 * anything of a registration.
 */
final class ExecutionMetrics {

    /** The error label of a success (Prometheus treats an empty label as no label). */
    static final String NO_ERROR = "none";
    /** Buckets from a quick rejection to a registration held up by a slow database. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final Counter succeeded;
    private final Counter cancelled;
    private final Map<WorkflowError, Counter> failed = new EnumMap<>(WorkflowError.class);
    private final Map<ExecutionResult.Status, Timer> durations = new EnumMap<>(ExecutionResult.Status.class);

    ExecutionMetrics(MeterRegistry registry) {
        succeeded = executions(registry, ExecutionResult.Status.SUCCEEDED, NO_ERROR);
        cancelled = executions(registry, ExecutionResult.Status.CANCELLED, NO_ERROR);
        for (WorkflowError error : WorkflowError.values()) {
            failed.put(error, executions(registry, ExecutionResult.Status.FAILED, error.name()));
        }
        for (ExecutionResult.Status status : ExecutionResult.Status.values()) {
            durations.put(status, Timer.builder("daycare.execution.duration")
                    .description("Time from an execution's start to its recorded end (its commit included)")
                    .tag("status", status.name())
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry));
        }
    }

    /** An execution whose end was recorded (committed); {@code took} from its start to that commit. */
    void ended(ExecutionResult result, Duration took) {
        switch (result.status()) {
            case SUCCEEDED -> succeeded.increment();
            case FAILED -> failed.get(result.error()).increment();
            case CANCELLED -> cancelled.increment();
            case RUNNING -> {
                return; // not an end
            }
        }
        durations.get(result.status()).record(took);
    }

    private static Counter executions(MeterRegistry registry, ExecutionResult.Status status, String error) {
        return Counter.builder("daycare.executions")
                .description("Executions ended, by outcome and error")
                .tag("status", status.name())
                .tag("error", error)
                .register(registry);
    }
}
