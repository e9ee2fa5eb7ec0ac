package org.daycare.bench.jmh;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.daycare.registration.rules.Registration;
import org.daycare.registration.workflow.TaskResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one Choice state's decision (issue 9): camel-jsonpath on the task's answer as a POJO (TaskResult,
 * which jsonpath turns into a Map through Jackson at every evaluation) against the same answer as a Map, in the two
 * forms the routes could take: the filter predicate {@code $[?(@.statusCode == 200)]} evaluated per {@code when}
 * (a router with two whens, the 400 branch taken: two evaluations), and {@code $.statusCode} evaluated once, then
 * compared. The simple language on the body ({@code ${body.statusCode} == 200}, what the routes used before) is
 * the floor. Throughput (decisions/s) in Figure 2.
 */
@State(Scope.Benchmark)
public class RouterBenchmark {

    @Param({"pojo", "map"})
    public String body;

    private CamelContext context;
    private Exchange exchange;
    private Predicate when200;
    private Predicate when400;
    private Expression statusCode;
    private Predicate simple200;
    private Predicate simple400;

    /** What a task answered before it was a Map: a record with a statusCode and a body. */
    public record PojoAnswer(int statusCode, Registration body) {
    }

    @Setup
    public void start() throws Exception {
        context = new DefaultCamelContext();
        context.start();
        Registration registration = new Registration(
                new Registration.Child("Mohamed", "Diallo", "2021-03-27", 5),
                new Registration.Parents(new Registration.Parent("Aicha", "Cisse", "aicha.cisse@example.com", "123-456-7890"),
                        new Registration.Parent("Ibrahim", "Diallo", "ibrahim.diallo@example.com", "098-765-4321")),
                List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"), "Mohamed has a peanut allergy.", null, null);
        // the task's answer as the application has it (a read-only Map), or the same as a plain record, which
        // jsonpath must first turn into a Map through Jackson
        TaskResult rejected = TaskResult.rejected(registration);
        exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body.equals("pojo") ? new PojoAnswer(rejected.statusCode(), registration) : rejected);
        when200 = context.resolveLanguage("jsonpath").createPredicate("$[?(@.statusCode == 200)]");
        when400 = context.resolveLanguage("jsonpath").createPredicate("$[?(@.statusCode == 400)]");
        statusCode = context.resolveLanguage("jsonpath").createExpression("$.statusCode");
        String code = body.equals("pojo") ? "${body.statusCode}" : "${body[statusCode]}";
        simple200 = context.resolveLanguage("simple").createPredicate(code + " == 200");
        simple400 = context.resolveLanguage("simple").createPredicate(code + " == 400");
        if (!filterPredicates() || !(Boolean) onceIntoAProperty() || !simpleOnTheBody()) {
            throw new IllegalStateException("the 400 branch was not taken");
        }
    }

    @TearDown
    public void stop() throws Exception {
        context.close();
    }

    /** Two whens, each a jsonpath filter predicate: 200 is tried first and fails, 400 matches. */
    @Benchmark
    public boolean filterPredicates() {
        return !when200.matches(exchange) && when400.matches(exchange);
    }

    /** $.statusCode evaluated once, then compared per when. */
    @Benchmark
    public Object onceIntoAProperty() {
        Integer code = statusCode.evaluate(exchange, Integer.class);
        return code != 200 && code == 400;
    }

    /** The floor: the bean/simple language on the body, no JSON at all. */
    @Benchmark
    public boolean simpleOnTheBody() {
        return !simple200.matches(exchange) && simple400.matches(exchange);
    }
}
