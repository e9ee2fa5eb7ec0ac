package org.daycare.registration.intake;

import java.nio.file.Path;

import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
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
    /** Writes a resumed execution's document as its dropped file's NAME.result.json, when it came from one. */
    public static final String REWRITE_RESULT_FILE = "direct:rewrite-result-file";
    private static final String ANSWERED_DOCUMENT = "answeredDocument";

    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    private static final String RETRY_AFTER_SECONDS = "5";
    /** Where the consumer moves the drop once answered: set per file by {@link #nameTheResultAndTheDisposition}. */
    static final String DROP_TARGET = "dropTarget";
    static final String RESULT_NAME = "resultName";
    /** What the log calls a dropped file (see {@link DropReference}). */
    static final String DROP_REFERENCE = "dropReference";
    /** File names stay well under the 255 bytes file systems allow once a suffix is added. */
    private static final int MAX_STEM_BYTES = 100;

    @BeanInject
    private RequestTooLargeAnswer requestTooLargeAnswer;
    @PropertyInject("daycare.archive")
    private String archiveDirectory;
    @PropertyInject("daycare.failed")
    private String failedDirectory;

    @Override
    public void configure() throws Exception {
        // The HTTP server's own 413, for a body it stopped reading, answered as the route answers one
        getContext().addStartupListener(requestTooLargeAnswer);

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

        documentedEndpoint();

        // The rest verb's route: inlined into it by the REST DSL (one route, this id, these error handlers)
        from("direct:http-intake")
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

        // readLock=idempotent-changed: first the file's lock in the shared database (inboxLocks, keyed by the file's
        // absolute path), so that of several instances polling one inbox exactly one takes it; then, as "changed"
        // with a minimum age, a file still being written is left alone until it stops growing. Writers should still
        // drop NAME.json.tmp and rename it, which is atomic; only *.json is picked up.
        // A drop is never deleted: once answered it is moved to the archive or the failed folder under a timestamped
        // name, then its lock is released (readLockRemoveOnCommit), so the same name dropped later is taken again.
        // One that could not be answered (the database unreachable) is rolled back: it stays, its lock is released
        // (readLockRemoveOnRollback), and it is retried, by any instance. idempotentEager=false: Camel 4.17 otherwise
        // "releases" the lock of every file it could not lock, i.e. the lock another instance holds (InboxLocks also
        // ignores a release of a lock it does not hold).
        // readLockMinLength=0: an empty file is answered (malformed) instead of waited on forever. Names holding a
        // backslash are left alone: the file component reads one as a path separator. greedy: after a poll that found
        // files the next one starts at once, so a backlog drains back to back (the poll delay is for an idle inbox).
        from("file:{{daycare.inbox}}?include=RAW((?s).*\\.json)&exclude=RAW(.*\\\\.*)"
                + "&readLock=idempotent-changed&idempotentRepository=#inboxLocks"
                + "&readLockRemoveOnCommit=true&readLockRemoveOnRollback=true&idempotentEager=false"
                + "&readLockMinAge={{daycare.inbox.min-age}}&readLockMinLength=0"
                + "&readLockCheckInterval={{daycare.inbox.check-interval}}&delay={{daycare.inbox.poll-delay}}"
                + "&maxMessagesPerPoll={{daycare.inbox.max-per-poll}}&greedy=true"
                + "&move=${exchangeProperty." + DROP_TARGET + "}")
                .routeId("file-drop-intake")
                .routeConfigurationId(SubmissionErrorHandling.FILE_INTAKE)
                .setProperty(Executions.SOURCE, simple(Executions.FILE_SOURCE_PREFIX + "${file:onlyname}"))
                .setProperty(DROP_REFERENCE, method(DropReference.class, "of(${header.CamelFileNameOnly})"))
                // measured before it is read: a file over the limit is refused without being loaded
                .bean("registrationDocumentReader", "requireFileWithinLimit")
                .to("direct:submit-registration")
                .to(WRITE_RESULT_FILE);

        // The result name comes from the consumed file's own name (never a path), so it stays in the outbox.
        from(WRITE_RESULT_FILE)
                .routeId("write-result-file")
                .process(this::nameTheResultAndTheDisposition)
                .bean("resultDocuments", "toJson")
                .to("file:{{daycare.outbox}}?fileName=${exchangeProperty." + RESULT_NAME + "}&tempPrefix=.writing-");

        // A dropped file's execution that waited, then ended (a decision, a deadline, a cancellation): its final
        // document replaces the waiting one as NAME.result.json. The body, the document, stays as it was.
        from(REWRITE_RESULT_FILE)
                .routeId("rewrite-result-file")
                .filter(exchangeProperty(Executions.SOURCE).startsWith(Executions.FILE_SOURCE_PREFIX))
                    .setProperty(ANSWERED_DOCUMENT, body())
                    .process(IntakeRoutes::nameTheResultOfTheSource)
                    .bean("executions", "forResultFile")
                    .bean("resultDocuments", "toJson")
                    .to("file:{{daycare.outbox}}?fileName=${exchangeProperty." + RESULT_NAME + "}&tempPrefix=.writing-")
                    .setBody(exchangeProperty(ANSWERED_DOCUMENT))
                .end();

        from(EXECUTION_FAILED_ON_DEFECT)
                .routeId("execution-failed-on-defect")
                // Only the exception's class and our own message at ERROR: a driver's or library's message may quote
                // submitted values. The whole stack trace is there at DEBUG.
                .log(LoggingLevel.ERROR, "Execution ${exchangeProperty." + RegistrationStates.EXECUTION_ID
                        + "} failed on a defect: ${exception.class.name}")
                .log(LoggingLevel.DEBUG, "${exception.stacktrace}")
                .bean("executions", "failedOnDefect");
    }

    /**
     * POST /registrations in the REST DSL, with every answer it gives, as the OpenAPI document shows it. Only POST is
     * served; another method on the path is answered 405 by the HTTP server. The body is not bound: the route reads
     * the raw bytes (see {@link RegistrationDocumentReader}).
     */
    private void documentedEndpoint() {
        RestDefinition registrations = rest("{{daycare.http.path}}").tag("registrations");
        registrations.post().id("submitRegistration")
                .description("Runs the registration workflow on the document and answers how it ended")
                .type(RegistrationRequest.class)
                .param().name("body").type(RestParamType.body).required(true)
                        .description("One JSON object in UTF-8, at most {{daycare.http.max-body-bytes}} bytes."
                                + " application/json and application/*+json are accepted, and so is no Content-Type.")
                        .endParam()
                .param().name("Idempotency-Key").type(RestParamType.header).required(false).dataType("string")
                        .description("At most " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters. The same key with the same"
                                + " document answers the first execution's answer again; with another document, 422"
                                + " IdempotencyKeyReused.")
                        .endParam()
                .responseMessage().code(201).message("The execution SUCCEEDED").responseModel(ExecutionResult.class)
                        .endResponseMessage()
                .responseMessage().code(200).message("A repeated submission: the child's confirmed registration, sent"
                        + " again without a key, answered from its execution").responseModel(ExecutionResult.class)
                        .endResponseMessage()
                .responseMessage().code(202).message("The execution waits (RUNNING) in the state given, Await Approval:"
                        + " the director decides; the statusToken opens GET /registrations/{executionId}")
                        .responseModel(ExecutionResult.class).endResponseMessage()
                .responseMessage().code(400).message("MalformedRequest: the body is not one JSON object (or the"
                        + " Idempotency-Key is too long); no execution").responseModel(RejectedRequest.class)
                        .endResponseMessage()
                .responseMessage().code(413).message("RequestTooLarge: the body is over {{daycare.http.max-body-bytes}} bytes")
                        .responseModel(RejectedRequest.class).endResponseMessage()
                .responseMessage().code(415).message("UnsupportedMediaType: a Content-Type that is not JSON")
                        .responseModel(RejectedRequest.class).endResponseMessage()
                .responseMessage().code(422).message("The execution FAILED in the workflow (InformationIncomplete,"
                        + " InvalidAge, NoSpots, AlreadyRegistered), or IdempotencyKeyReused")
                        .responseModel(UnprocessableAnswer.class).endResponseMessage()
                .responseMessage().code(500).message("A defect of ours: the execution FAILED with InternalError")
                        .responseModel(ExecutionResult.class).endResponseMessage()
                .responseMessage().code(503).message("ServiceUnavailable: the database cannot be reached; nothing was"
                        + " registered").responseModel(RejectedRequest.class)
                        .header("Retry-After").dataType("integer").description("seconds").endHeader()
                        .endResponseMessage()
                .to("direct:http-intake");
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

    /** The result name of the file an execution's source names: {@code file:NAME.json} is NAME.result.json. */
    private static void nameTheResultOfTheSource(Exchange exchange) {
        String dropped = exchange.getProperty(Executions.SOURCE, String.class).substring(Executions.FILE_SOURCE_PREFIX.length());
        String stem = dropped.endsWith(".json") ? dropped.substring(0, dropped.length() - ".json".length()) : dropped;
        exchange.setProperty(RESULT_NAME, shortened(stem) + ".result.json");
    }

    /**
     * NAME.json is answered as NAME.result.json (NAME as dropped, up to its last dot, cut to 100 bytes) and
     * kept as NAME.TIMESTAMP-EXCHANGE.json in the archive or the failed folder, so that no two drops, however
     * named, ever share a result or an archived original.
     */
    private void nameTheResultAndTheDisposition(Exchange exchange) {
        String dropped = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        String stem = shortened(dropped.substring(0, dropped.length() - ".json".length()));
        exchange.setProperty(RESULT_NAME, stem + ".result.json");
        String folder = isWorkflowOutcome(exchange.getMessage().getBody()) ? archiveDirectory : failedDirectory;
        String unique = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
                .format(java.time.LocalDateTime.now()) + "-" + exchange.getExchangeId();
        exchange.setProperty(DROP_TARGET, Path.of(absolute(folder), stem + "." + unique + ".json").toString());
    }

    /** At most MAX_STEM_BYTES of UTF-8 (file systems count bytes), cut between characters. */
    static String shortened(String stem) {
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < stem.length(); ) {
            int codePoint = stem.codePointAt(i);
            bytes += new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_STEM_BYTES) {
                break;
            }
            kept.appendCodePoint(codePoint);
            i += Character.charCount(codePoint);
        }
        return kept.toString();
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
