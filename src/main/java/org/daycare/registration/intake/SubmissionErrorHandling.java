package org.daycare.registration.intake;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;

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

        answeringErrors(HTTP_INTAKE, IntakeRoutes.ANSWER_HTTP);
        answeringErrors(FILE_INTAKE, IntakeRoutes.WRITE_RESULT_FILE);
    }

    /** An intake's errors become a result document, answered the way that intake answers everything. */
    private void answeringErrors(String id, String answer) {
        routeConfiguration(id)
                .onException(RejectedRequestException.class).handled(true)
                    .process(SubmissionErrorHandling::rejectionAsBody)
                    .to(answer)
                .end()
                .onException(Exception.class).handled(true)
                    .to(IntakeRoutes.EXECUTION_FAILED_ON_DEFECT)
                    .to(answer)
                .end();
    }

    static void rejectionAsBody(Exchange exchange) {
        RejectedRequestException rejected = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RejectedRequestException.class);
        exchange.getMessage().setBody(rejected.rejection());
    }
}
