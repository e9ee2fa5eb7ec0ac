package org.daycare.registration.workflow;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.PredicateBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.daycare.registration.intake.IntakeRoutes;
import org.daycare.registration.store.StoreUnavailableException;

/**
 * Deadlines: every daycare.approval.deadline-check-ms (and at once at start-up, so a deadline that passed while the
 * service was stopped fires right after), each RUNNING execution that is due is taken up through the workflow's
 * routes (resume-execution): an approval past its deadline times out, a waitlisted registration past its maximum
 * wait expires, and a promoted one (due at once) runs on. Instances sharing a database may race for one: exactly one
 * moves it on, the others find it no longer waiting.
 */
public class DeadlineRoutes extends RouteBuilder {

    /** How many due executions the last sweep took: as many as it may take means there may be more. */
    private static final String SWEPT = "swept";
    private static final String SWEEPS = "sweeps";
    /** Sweeps in a row at most, each of Executions.SWEEP_SIZE: 10,000 due executions per timer period. */
    private static final int MAX_SWEEPS = 100;

    @Override
    public void configure() {
        from("timer:approval-deadlines?fixedRate=false&delay=0&period={{daycare.approval.deadline-check-ms}}")
                .routeId("approval-deadlines")
                .errorHandler(noErrorHandler())
                // the database is down: the next sweep tries again; the class only, no stack trace every second
                .onException(StoreUnavailableException.class).handled(true)
                    .log(LoggingLevel.DEBUG, "Deadlines not checked: ${exception.class.name}")
                .end()
                // A full sweep is followed by another at once (a raised total may promote thousands together), at most
                // MAX_SWEEPS in a row: rows that keep failing stay due, and must not keep this thread from its timer.
                // The loop's own predicate compares the count (a simple expression used as a value does not
                // evaluate ">=": it is text).
                .setProperty(SWEPT, constant(Executions.SWEEP_SIZE))
                .setProperty(SWEEPS, constant(0))
                .loopDoWhile(PredicateBuilder.and(exchangeProperty(SWEPT).isGreaterThanOrEqualTo(Executions.SWEEP_SIZE),
                        exchangeProperty(SWEEPS).isLessThan(MAX_SWEEPS)))
                    .bean("executions", "pastDeadlines")
                    .setProperty(SWEPT, simple("${body.size}", Integer.class))
                    .process(exchange -> exchange.setProperty(SWEEPS, exchange.getProperty(SWEEPS, Integer.class) + 1))
                    .split(body())
                        .to("direct:approval-deadline")
                    .end()
                .end();

        from("direct:approval-deadline")
                .routeId("approval-deadline")
                .onException(NotAwaitingApproval.class).handled(true)
                    .log(LoggingLevel.DEBUG, "Execution ${exchangeProperty." + Executions.RESUME_ID
                            + "} was decided before its deadline fired here")
                .end()
                .onException(Exception.class).handled(true)
                    // the class only: a driver's message may quote values; the next sweep tries again
                    .log(LoggingLevel.WARN, "The deadline of execution ${exchangeProperty." + Executions.RESUME_ID
                            + "} could not be applied: ${exception.class.name}")
                .end()
                .setProperty(Executions.RESUME_ID, simple("${body.executionId}"))
                .setProperty(Executions.DECISION, method("executions", "decisionWhenDue"))
                .to("direct:resume-execution")
                .to(IntakeRoutes.REWRITE_RESULT_FILE);
    }
}
