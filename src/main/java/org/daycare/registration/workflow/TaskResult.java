package org.daycare.registration.workflow;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.daycare.registration.rules.Registration;

/**
 * What each state returns, as the original Lambda tasks did: {@code {"statusCode": ..., "body": <the registration
 * so far>}}, and, from Check Information, the problems it found. The router after the state decides on
 * {@code $.statusCode} with camel-jsonpath (200 to the next state, 400 to the state's failure end).
 *
 * <p>It is a {@link Map} (read-only) so that jsonpath reads it as it is: any other body is written to JSON and read
 * back through Jackson at every evaluation, about 50 times slower (RouterBenchmark, docs/benchmarks.md). The Java
 * side reads it through the typed accessors.
 */
public final class TaskResult extends AbstractMap<String, Object> {

    public static final int OK = 200;
    public static final int REJECTED = 400;
    /** Only from Await Approval: the spots are held and the execution waits for the director's decision. */
    public static final int WAITING = 202;
    /**
     * Only from Confirm Registration: this same registration was confirmed by a concurrent execution (a retry that
     * raced the first); that confirmation is the answer ("see other").
     */
    public static final int ALREADY_CONFIRMED = 303;
    /** Only from Confirm Registration: the child already holds a registration, made from another document. */
    public static final int ALREADY_REGISTERED = 409;

    private final int statusCode;
    private final Registration registration;
    private final List<String> problems;
    private final Map<String, Object> asJson;

    public TaskResult(int statusCode, Registration registration, List<String> problems) {
        this.statusCode = statusCode;
        this.registration = registration;
        this.problems = List.copyOf(problems);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("statusCode", statusCode);
        json.put("body", registration);
        if (!this.problems.isEmpty()) {
            json.put("problems", this.problems);
        }
        this.asJson = java.util.Collections.unmodifiableMap(json);
    }

    public static TaskResult ok(Registration registration) {
        return new TaskResult(OK, registration, List.of());
    }

    public static TaskResult rejected(Registration registration) {
        return new TaskResult(REJECTED, registration, List.of());
    }

    public static TaskResult alreadyConfirmed(Registration registration) {
        return new TaskResult(ALREADY_CONFIRMED, registration, List.of());
    }

    public static TaskResult alreadyRegistered(Registration registration) {
        return new TaskResult(ALREADY_REGISTERED, registration, List.of());
    }

    public static TaskResult incomplete(List<String> problems) {
        return new TaskResult(REJECTED, null, problems);
    }

    public int statusCode() {
        return statusCode;
    }

    /** The registration so far: the Lambda's {@code body}. */
    public Registration registration() {
        return registration;
    }

    public List<String> problems() {
        return problems;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return asJson.entrySet();
    }
}
