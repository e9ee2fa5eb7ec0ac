package org.daycare.registration.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.daycare.registration.store.StoreUnavailableException;

/**
 * The read side, for enrolment offices and operators: executions (by id, with their history, or searched) and
 * the capacity. Every route requires the admin bearer token; POST /registrations stays open. Every answer, refusals
 * and failures included, carries {@code Cache-Control: no-store}: these answers hold personal data.
 */
public class AdminRoutes extends RouteConfigurationBuilder {

    private static final String ADMIN_ERRORS = "admin-errors";
    private static final String ADMIN_INNER = "admin-inner-routes";
    private static final String ANSWER = "direct:admin-answer";
    /** What a failure's log line says of the request: the execution id it named, if any; see {@link #loggedRequest}. */
    private static final String LOGGED_REQUEST = "adminLoggedRequest";
    private static final Pattern EXECUTION_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String RETRY_AFTER_SECONDS = "5";

    @BeanInject
    private AdminToken adminToken;

    @Override
    public void configuration() {
        RouteConfigurationDefinition admin = routeConfiguration(ADMIN_ERRORS);
        admin.onException(NotAuthorized.class, AdminApi.NotFound.class, AdminApi.BadQuery.class).handled(true)
                .to("direct:admin-error");
        // The database or our own code failed. Only the exception's class goes to the log (the stack trace at DEBUG):
        // a driver's message may quote what was searched for, a name or an e-mail address. Nor is any of it answered.
        admin.onException(StoreUnavailableException.class).handled(true)
                .process(AdminRoutes::loggedRequest)
                .log(LoggingLevel.WARN, "Admin request${exchangeProperty." + LOGGED_REQUEST
                        + "} answered 503: ${exception.class.name}")
                .log(LoggingLevel.DEBUG, "${exception.stacktrace}")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(503))
                .setHeader("Retry-After", constant(RETRY_AFTER_SECONDS))
                .setBody(constant(Map.of("error", "ServiceUnavailable",
                        "cause", "The database cannot be reached right now. Retry shortly.")))
                .to(ANSWER);
        admin.onException(Exception.class).handled(true)
                .process(AdminRoutes::loggedRequest)
                .log(LoggingLevel.ERROR, "Admin request${exchangeProperty." + LOGGED_REQUEST
                        + "} failed: ${exception.class.name}")
                .log(LoggingLevel.DEBUG, "${exception.stacktrace}")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setBody(constant(Map.of("error", "InternalError",
                        "cause", "The request could not be answered because of an internal error.")))
                .to(ANSWER);

        // The answering routes let whatever they throw go back to the admin route, whose handlers above answer it.
        routeConfiguration(ADMIN_INNER).errorHandler(noErrorHandler());
    }

    @Override
    public void configure() {
        // path -> the AdminApi method that answers it
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("/executions", "list");
        endpoints.put("/executions/{id}", "execution");
        endpoints.put("/executions/{id}/history", "history");
        endpoints.put("/capacity", "capacity");
        // platform-http drops Cache-Control from answers unless told otherwise: adminHeaderFilterStrategy lets it out
        endpoints.forEach((path, method) -> from("platform-http:" + path
                        + "?httpMethodRestrict=GET&headerFilterStrategy=#adminHeaderFilterStrategy")
                .routeId("admin-" + method)
                .routeConfigurationId(ADMIN_ERRORS)
                .process(this::authorize)
                .bean("adminApi", method)
                .removeHeaders("*")
                .to(ANSWER));

        from(ANSWER)
                .routeId("admin-answer")
                .routeConfigurationId(ADMIN_INNER)
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Cache-Control", constant("no-store"))
                .marshal().json();

        from("direct:admin-error")
                .routeId("admin-error")
                .routeConfigurationId(ADMIN_INNER)
                .removeHeaders("*")
                .log(LoggingLevel.DEBUG, "Admin request refused: ${exception.message}")
                .process(exchange -> {
                    Exception refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    int code = codeOf(refused);
                    if (code == 401) {
                        exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
                    }
                    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
                    exchange.getMessage().setBody(Map.of("error", refused.getMessage()));
                })
                .to(ANSWER);
    }

    private static int codeOf(Exception refused) {
        if (refused instanceof NotAuthorized) {
            return 401;
        }
        return refused instanceof AdminApi.NotFound ? 404 : 400;
    }

    /**
     * " for execution ID" when the path named an execution id of ours, else nothing: whatever else a client put in
     * the request (a searched name, an e-mail address, any path) stays out of the log.
     */
    private static void loggedRequest(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        exchange.setProperty(LOGGED_REQUEST, id != null && EXECUTION_ID.matcher(id).matches() ? " for execution " + id : "");
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
