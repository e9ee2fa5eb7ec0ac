package org.daycare.registration.workflow;

import org.apache.camel.builder.RouteBuilder;

/**
 * An execution takes milliseconds; one still RUNNING long after it started was interrupted by a crash or a
 * kill. This sweep, at start-up and then periodically, resumes or closes such executions. It only touches
 * executions older than the threshold, so instances sharing one database never close each other's live ones.
 */
public class InterruptedExecutionsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:interrupted-executions?delay={{daycare.executions.sweep-delay-ms}}"
                + "&period={{daycare.executions.sweep-period-ms}}")
                .routeId("close-interrupted-executions")
                .bean("executions", "closeInterrupted({{daycare.executions.stale-after-seconds}})");
    }
}
