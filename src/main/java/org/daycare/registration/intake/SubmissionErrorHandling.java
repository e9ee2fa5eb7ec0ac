package org.daycare.registration.intake;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.daycare.registration.store.StoreUnavailableException;
import org.daycare.registration.workflow.IdempotencyKeyReusedException;

/**
 * Error handling for submissions, in one place. The inner routes (submit-registration and the workflow states)
 * have no error handler of their own, so that whatever they throw reaches the intake route that started the
 * submission; there it becomes a result document and is answered like any other: a rejected request for bad
 * input, or, for a defect of ours, a FAILED execution with InternalError (logged, never a stack trace to a client).
 */
public class SubmissionErrorHandling extends RouteConfigurationBuilder {

    /** For the routes a submission passes through on its way: errors go up to the intake route. */
    public static final String INNER_ROUTES = "submission-inner-routes";
    public static final String HTTP_INTAKE = "http-intake-errors";
    public static final String FILE_INTAKE = "file-intake-errors";

    @Override
    public void configuration() {
        routeConfiguration(INNER_ROUTES).errorHandler(noErrorHandler());

        // The database is unreachable: HTTP clients are told to come back (503, Retry-After) ...
        RouteConfigurationDefinition http = routeConfiguration(HTTP_INTAKE);
        http.onException(StoreUnavailableException.class).handled(true)
                .log(LoggingLevel.WARN, "Registration refused with 503: ${exception.message}")
                .setBody(constant(RejectedRequest.storeUnavailable()))
                .to(IntakeRoutes.ANSWER_HTTP);
        answeringErrors(http, IntakeRoutes.ANSWER_HTTP);

        // ... and a dropped file stays in the inbox: not handled, the file consumer rolls back and retries it.
        // (Camel's own "exhausted" error log is off there: the WARN above says what happened, without a stack trace.)
        RouteConfigurationDefinition file = routeConfiguration(FILE_INTAKE)
                .errorHandler(defaultErrorHandler().logExhausted(false));
        file.onException(StoreUnavailableException.class).handled(false)
                .log(LoggingLevel.WARN, "Database unavailable, the dropped file ${exchangeProperty."
                        + IntakeRoutes.DROP_REFERENCE + "} stays in the inbox: ${exception.message}");
        answeringErrors(file, IntakeRoutes.WRITE_RESULT_FILE);
    }

    /** Any other error becomes a result document, answered the way that intake answers everything. */
    private void answeringErrors(RouteConfigurationDefinition configuration, String answer) {
        configuration.onException(IdempotencyKeyReusedException.class).handled(true)
                .log("A submission reused an Idempotency-Key with a different document: refused, nothing started")
                .setBody(constant(RejectedRequest.idempotencyKeyReused()))
                .to(answer);
        configuration.onException(RejectedRequestException.class).handled(true)
                .process(SubmissionErrorHandling::rejectionAsBody)
                .to(answer);
        configuration.onException(Exception.class).handled(true)
                .to(IntakeRoutes.EXECUTION_FAILED_ON_DEFECT)
                .to(answer);
    }

    static void rejectionAsBody(Exchange exchange) {
        RejectedRequestException rejected = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RejectedRequestException.class);
        exchange.getMessage().setBody(rejected.rejection());
    }
}
