package org.daycare.registration.intake;

import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The benchmarks' floor: a bare platform-http route that answers the body it got, on the same server, build and
 * JVM as the registrations. Off unless {@code daycare.bench.echo-enabled=true}; it does nothing a client could use.
 */
public class EchoRoutes extends RouteBuilder {

    @PropertyInject("daycare.bench.echo-enabled")
    private boolean enabled;

    @Override
    public void configure() {
        if (enabled) {
            from("platform-http:{{daycare.bench.echo-path}}?httpMethodRestrict=POST")
                    .routeId("benchmark-echo")
                    .removeHeaders("*", "Content-Type");
        }
    }
}
