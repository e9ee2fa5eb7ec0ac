package org.daycare.registration.admin;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The read side, for enrolment offices and operators: executions (by id, with their history, or searched) and
 * the capacity. Every route requires the admin bearer token; POST /registrations stays open.
 */
public class AdminRoutes extends RouteConfigurationBuilder {

    private static final String ADMIN_ERRORS = "admin-errors";

    @BeanInject
    private AdminToken adminToken;

    @Override
    public void configuration() {
        routeConfiguration(ADMIN_ERRORS)
                .onException(NotAuthorized.class, AdminApi.NotFound.class, AdminApi.BadQuery.class).handled(true)
                    .to("direct:admin-error")
                .end();
    }

    @Override
    public void configure() {
        // path -> the AdminApi method that answers it
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("/executions", "list");
        endpoints.put("/executions/{id}", "execution");
        endpoints.put("/executions/{id}/history", "history");
        endpoints.put("/capacity", "capacity");
        endpoints.forEach((path, method) -> from("platform-http:" + path + "?httpMethodRestrict=GET")
                .routeId("admin-" + method)
                .routeConfigurationId(ADMIN_ERRORS)
                .process(this::authorize)
                .bean("adminApi", method)
                .to("direct:admin-answer"));

        from("direct:admin-answer")
                .routeId("admin-answer")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Cache-Control", constant("no-store"))
                .marshal().json();

        from("direct:admin-error")
                .routeId("admin-error")
                .removeHeaders("*")
                .log(LoggingLevel.DEBUG, "Admin request refused: ${exception.message}")
                .process(exchange -> {
                    Exception refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    int code = codeOf(refused);
                    if (code == 401) {
                        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
                    }
                    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
                    exchange.getMessage().setBody(java.util.Map.of("error", refused.getMessage()));
                })
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .marshal().json();
    }

    private static int codeOf(Exception refused) {
        if (refused instanceof NotAuthorized) {
            return 401;
        }
        return refused instanceof AdminApi.NotFound ? 404 : 400;
    }

    private void authorize(Exchange exchange) {
        if (!adminToken.admits(exchange.getMessage().getHeader("Authorization", String.class))) {
            throw new NotAuthorized();
        }
    }

    /** No or a wrong bearer token. */
    static final class NotAuthorized extends RuntimeException {
        NotAuthorized() {
            super("A valid bearer token is required.", null, false, false);
        }
    }
}
