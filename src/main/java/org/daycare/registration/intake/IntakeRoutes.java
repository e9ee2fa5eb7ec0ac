package org.daycare.registration.intake;

import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.daycare.registration.workflow.ExecutionResult;
import org.daycare.registration.workflow.Executions;
import org.daycare.registration.workflow.RegistrationStates;
import org.daycare.registration.workflow.ResultDocument;
import org.daycare.registration.workflow.WorkflowError;

/**
 * The two ways a registration arrives, HTTP and the file drop, and the submission route they share, so that a
 * dropped file is processed exactly as an HTTP request would be. Each intake ends by answering a result
 * document: in the HTTP response, or as NAME.result.json in the outbox.
 */
public class IntakeRoutes extends RouteBuilder {

    static final String ANSWER_HTTP = "direct:answer-http";
    static final String WRITE_RESULT_FILE = "direct:write-result-file";
    static final String EXECUTION_FAILED_ON_DEFECT = "direct:execution-failed-on-defect";

    /** Where the file consumer moves a processed drop: the archive, or the failed folder. */
    static final String DROP_DESTINATION = "dropDestination";
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    private static final String RETRY_AFTER_SECONDS = "5";
    private static final String TIMESTAMPED_DROP_NAME = "${file:onlyname.noext}.${date:now:yyyyMMdd-HHmmss-SSS}.json";

    @PropertyInject("daycare.archive")
    private String archiveDirectory;
    @PropertyInject("daycare.failed")
    private String failedDirectory;

    @Override
    public void configure() {
        from("direct:submit-registration")
                .routeId("submit-registration")
                .routeConfigurationId(SubmissionErrorHandling.INNER_ROUTES)
                // Only HTTP carries a Content-Type; a dropped file has none, which is accepted.
                .process(IntakeRoutes::requireJsonContentType)
                .bean("registrationDocumentReader", "read")
                .bean("executions", "begin")
                .choice()
                    .when(body().isInstanceOf(ResultDocument.class))
                        .log("A repeated submission was answered from an earlier execution")
                    .otherwise()
                        .to("direct:start-execution")
                .end();

        from("platform-http:{{daycare.http.path:/registrations}}?httpMethodRestrict=POST")
                .routeId("http-intake")
                .routeConfigurationId(SubmissionErrorHandling.HTTP_INTAKE)
                .setProperty(Executions.SOURCE, constant("http"))
                .process(IntakeRoutes::readIdempotencyKey)
                .to("direct:submit-registration")
                .to(ANSWER_HTTP);

        // No header reaches the client but these two: request headers (form fields among them) and Camel's own
        // would otherwise be echoed back.
        from(ANSWER_HTTP)
                .routeId("answer-http")
                .removeHeaders("*")
                .process(IntakeRoutes::setHttpStatus)
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .bean("resultDocuments", "toJson");

        // readLock=changed with a minimum age: a file still being written is left alone until it stops growing.
        // Writers should still drop NAME.json.tmp and rename it, which is atomic; only *.json is picked up.
        // A drop is never deleted: once answered it is moved to the archive or the failed folder under a timestamped
        // name. One that could not be answered (the database unreachable) is rolled back: it stays and is retried.
        from("file:{{daycare.inbox}}?include=.*\\.json&readLock=changed&readLockMinAge={{daycare.inbox.min-age:1s}}"
                + "&readLockCheckInterval={{daycare.inbox.check-interval:250}}&delay={{daycare.inbox.poll-delay:500}}"
                + "&maxMessagesPerPoll={{daycare.inbox.max-per-poll:500}}"
                + "&move=${exchangeProperty." + DROP_DESTINATION + "}/" + TIMESTAMPED_DROP_NAME)
                .routeId("file-drop-intake")
                .routeConfigurationId(SubmissionErrorHandling.FILE_INTAKE)
                .setProperty(Executions.SOURCE, simple("file:${file:onlyname}"))
                .to("direct:submit-registration")
                .to(WRITE_RESULT_FILE);

        // The result name comes from the consumed file's own name (never a path), so it stays in the outbox.
        from(WRITE_RESULT_FILE)
                .routeId("write-result-file")
                .process(exchange -> exchange.setProperty(DROP_DESTINATION, isWorkflowOutcome(exchange.getMessage().getBody())
                        ? absolute(archiveDirectory) : absolute(failedDirectory)))
                .bean("resultDocuments", "toJson")
                .to("file:{{daycare.outbox}}?fileName=${file:onlyname.noext}.result.json&tempPrefix=.writing-");

        from(EXECUTION_FAILED_ON_DEFECT)
                .routeId("execution-failed-on-defect")
                .log(LoggingLevel.ERROR, "Execution ${exchangeProperty." + RegistrationStates.EXECUTION_ID
                        + "} failed on a defect: ${exception.stacktrace}")
                .bean("executions", "failedOnDefect");
    }

    private static void setHttpStatus(Exchange exchange) {
        int status = exchange.getMessage().getBody(ResultDocument.class).httpStatus();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (status == 503) {
            exchange.getMessage().setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
    }

    private static void requireJsonContentType(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!JsonContentType.isAcceptable(contentType)) {
            throw new RejectedRequestException(RejectedRequest.unsupportedMediaType(contentType));
        }
    }

    /** The optional Idempotency-Key header; a key the store could not hold is the client's error, not ours. */
    private static void readIdempotencyKey(Exchange exchange) {
        String key = exchange.getMessage().getHeader("Idempotency-Key", String.class);
        if (key == null || key.isBlank()) {
            return;
        }
        if (key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new RejectedRequestException(RejectedRequest.malformed(
                    "The Idempotency-Key header must be at most " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters."));
        }
        exchange.setProperty(Executions.IDEMPOTENCY_KEY, key);
    }

    /**
     * Drops answered by the workflow (an execution's end, or an earlier execution's answer to a duplicate) are
     * archived; rejected bodies and our own defects go to the failed folder.
     */
    private static boolean isWorkflowOutcome(Object resultDocument) {
        if (resultDocument instanceof ExecutionResult result) {
            return result.error() != WorkflowError.InternalError;
        }
        return !(resultDocument instanceof RejectedRequest);
    }

    // The file consumer resolves relative move paths against the inbox, so the data folders are made absolute.
    private static String absolute(String directory) {
        return Path.of(directory).toAbsolutePath().normalize().toString();
    }
}
