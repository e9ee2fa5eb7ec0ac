package org.daycare.registration.admin;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.daycare.registration.intake.IntakeRoutes;
import org.daycare.registration.statemachine.StateMachine;
import org.daycare.registration.statemachine.StatesLanguageDocument;
import org.daycare.registration.store.StoreUnavailableException;
import org.daycare.registration.workflow.ExecutionNotFound;
import org.daycare.registration.workflow.ExecutionResult;
import org.daycare.registration.workflow.Executions;
import org.daycare.registration.workflow.NotAwaitingApproval;
import org.daycare.registration.workflow.NotCancellable;

/**
 * The staff's endpoints: executions (by id, with their history, or searched), the capacity, the approval queue, and
 * the director's decisions and the office's cancellations. Every route requires the admin bearer token; POST
 * /registrations stays open. Every answer, refusals
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
    /** The OpenAPI document's name of the bearer scheme. */
    static final String BEARER = "adminToken";

    @BeanInject
    private AdminToken adminToken;

    @Override
    public void configuration() {
        RouteConfigurationDefinition admin = routeConfiguration(ADMIN_ERRORS);
        admin.onException(NotAuthorized.class, AdminApi.NotFound.class, AdminApi.BadQuery.class, ExecutionNotFound.class,
                NotAwaitingApproval.class, NotCancellable.class, AdminApi.BelowReserved.class).handled(true)
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
                .setBody(constant(new AdminProblem("ServiceUnavailable",
                        "The database cannot be reached right now. Retry shortly.")))
                .to(ANSWER);
        admin.onException(Exception.class).handled(true)
                .process(AdminRoutes::loggedRequest)
                .log(LoggingLevel.ERROR, "Admin request${exchangeProperty." + LOGGED_REQUEST
                        + "} failed: ${exception.class.name}")
                .log(LoggingLevel.DEBUG, "${exception.stacktrace}")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setBody(constant(new AdminProblem("InternalError",
                        "The request could not be answered because of an internal error.")))
                .to(ANSWER);

        // The answering routes let whatever they throw go back to the admin route, whose handlers above answer it.
        routeConfiguration(ADMIN_INNER).errorHandler(noErrorHandler());
    }

    @Override
    public void configure() {
        documentedEndpoints();

        // Each endpoint's route: the rest verb's direct route, inlined into it by the REST DSL (one route, this id)
        for (String method : List.of("list", "execution", "history", "capacity", "waitlist")) {
            from("direct:admin-" + method)
                    .routeId("admin-" + method)
                    .routeConfigurationId(ADMIN_ERRORS)
                    .process(this::authorize)
                    .bean("adminApi", method)
                    .removeHeaders("*")
                    .to(ANSWER);
        }

        // The workflow as the routes define it, and as Amazon States Language
        from("direct:admin-state-machine")
                .routeId("admin-state-machine")
                .routeConfigurationId(ADMIN_ERRORS)
                .process(this::authorize)
                .removeHeaders("*")
                .bean("stateMachineReader", "read")
                .to(ANSWER);
        from("direct:admin-state-machine-asl")
                .routeId("admin-state-machine-asl")
                .routeConfigurationId(ADMIN_ERRORS)
                .process(this::authorize)
                .removeHeaders("*")
                .bean("stateMachineReader", "asl")
                .to(ANSWER);

        // A day's total at run time, in the workflow engine's transaction: a raise promotes from the waitlist at once
        from("direct:admin-capacity-change")
                .routeId("admin-capacity-change")
                .routeConfigurationId(ADMIN_ERRORS)
                .process(this::authorize)
                .bean("adminApi", "capacityRequest")
                .removeHeaders("*")
                .bean("executions", "changeCapacity(${exchangeProperty." + AdminApi.CAPACITY_DAY + "}, ${exchangeProperty."
                        + AdminApi.CAPACITY_TOTAL + "})")
                .bean("adminApi", "capacityChanged")
                .to(ANSWER);

        from("direct:admin-approvals")
                .routeId("admin-approvals")
                .routeConfigurationId(ADMIN_ERRORS)
                .process(this::authorize)
                .bean("executions", "awaitingApproval")
                .bean("adminApi", "approvals")
                .removeHeaders("*")
                .to(ANSWER);

        // The director's decisions and the office's cancellation resume the execution through the workflow's routes
        // (resume-execution), as a deadline does; the answer is the execution's document as it then stands.
        for (Map.Entry<String, Executions.Decision> decision : Map.of("approve", Executions.Decision.APPROVED,
                "reject", Executions.Decision.REJECTED, "cancel", Executions.Decision.CANCELLED).entrySet()) {
            from("direct:admin-" + decision.getKey())
                    .routeId("admin-" + decision.getKey())
                    .routeConfigurationId(ADMIN_ERRORS)
                    .process(this::authorize)
                    .setProperty(Executions.RESUME_ID, header("id"))
                    .setProperty(Executions.DECISION, constant(decision.getValue()))
                    .bean("adminApi", decision.getValue() == Executions.Decision.REJECTED ? "rejection" : "noBody")
                    .removeHeaders("*")
                    .to("direct:resume-execution")
                    .to(IntakeRoutes.REWRITE_RESULT_FILE)
                    .removeHeaders("*")
                    .to(ANSWER);
        }

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
                    exchange.getMessage().setBody(new AdminProblem(refused.getMessage(), null));
                })
                .to(ANSWER);
    }

    /**
     * The admin endpoints in the REST DSL: paths, methods, parameters, answers and the bearer scheme, as the OpenAPI
     * document shows them. A method not listed here is answered 405 by the HTTP server.
     */
    private void documentedEndpoints() {
        RestDefinition admin = rest().tag("admin");
        admin.securityDefinitions()
                .bearerToken(BEARER, "daycare.admin.token, or when that is empty the token generated into data/admin-token",
                        "opaque")
                .end();

        admin.get("/executions").id("listExecutions").description("Executions, newest first, filtered and paged")
                .security(BEARER)
                .param().name("status").type(RestParamType.query).required(false).dataType("string")
                        .allowableValues("RUNNING", "SUCCEEDED", "FAILED", "CANCELLED").endParam()
                .param().name("limit").type(RestParamType.query).required(false).dataType("integer")
                        .description("page size, 1 to " + AdminApi.MAX_PAGE_SIZE + "; " + AdminApi.DEFAULT_PAGE_SIZE
                                + " when absent").endParam()
                .param().name("nextToken").type(RestParamType.query).required(false).dataType("string")
                        .description("the previous page's nextToken").endParam()
                .param().name("childLastName").type(RestParamType.query).required(false).dataType("string")
                        .description("the child's last name, in any case").endParam()
                .param().name("parentEmail").type(RestParamType.query).required(false).dataType("string")
                        .description("a parent's e-mail address, in any case").endParam();
        answer(admin, 200, "A page of executions", ExecutionPage.class).endResponseMessage();
        answer(admin, 400, "A query parameter is wrong", AdminProblem.class).endResponseMessage();
        refusalsAndFailures(admin, false);
        admin.to("direct:admin-list");

        admin.get("/executions/{id}").id("getExecution").description("One execution, with its input and result documents")
                .security(BEARER)
                .param().name("id").type(RestParamType.path).required(true).dataType("string")
                        .description("the executionId").endParam();
        answer(admin, 200, "The execution", ExecutionDetail.class).endResponseMessage();
        refusalsAndFailures(admin, true);
        admin.to("direct:admin-execution");

        admin.get("/executions/{id}/history").id("getExecutionHistory")
                .description("Every state the execution entered and left, in order")
                .security(BEARER)
                .param().name("id").type(RestParamType.path).required(true).dataType("string")
                        .description("the executionId").endParam();
        answer(admin, 200, "The execution's history", ExecutionHistory.class).endResponseMessage();
        refusalsAndFailures(admin, true);
        admin.to("direct:admin-history");

        admin.get("/approvals").id("listApprovals")
                .description("Registrations awaiting the director's approval, oldest first")
                .security(BEARER);
        answer(admin, 200, "The approval queue", ApprovalQueue.class).endResponseMessage();
        refusalsAndFailures(admin, false);
        admin.to("direct:admin-approvals");

        decision(admin, "approve", "approveExecution", "Approves a registration awaiting approval: Confirm Registration,"
                + " then SUCCEEDED (as Step Functions' SendTaskSuccess)", "NotAwaitingApproval: it is not awaiting approval");
        decision(admin, "reject", "rejectExecution", "Rejects a registration awaiting approval: FAILED ApprovalRejected,"
                + " the reason as its cause; its held spots are released (as Step Functions' SendTaskFailure)", null);
        admin.type(RejectionRequest.class)
                .param().name("body").type(RestParamType.body).required(true)
                        .description("the reason, required: at most " + AdminApi.MAX_REASON_LENGTH
                                + " characters, no control characters").endParam();
        answer(admin, 400, "The reason is missing, too long or has control characters", AdminProblem.class)
                .endResponseMessage();
        decisionTail(admin, "reject", "NotAwaitingApproval: it is not awaiting approval");
        decision(admin, "cancel", "cancelExecution", "Cancels a registration awaiting approval (its held spots are"
                + " released) or a confirmed one (its spots are released): CANCELLED",
                "NotCancellable: it already FAILED or was already CANCELLED");

        admin.get("/capacity").id("getCapacity").description("Total, reserved and free spots per opening day")
                .security(BEARER);
        answer(admin, 200, "The capacity", CapacityReport.class).endResponseMessage();
        refusalsAndFailures(admin, false);
        admin.to("direct:admin-capacity");

        admin.put("/capacity/{day}").id("changeCapacity")
                .description("Changes an opening day's total at run time (it survives restarts: the database wins over"
                        + " daycare.capacity.*, which only seeds it); a raise promotes from the waitlist at once")
                .security(BEARER)
                .type(CapacityChange.Request.class)
                .param().name("day").type(RestParamType.path).required(true).dataType("string")
                        .allowableValues("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
                        .description("an opening day, by its English name").endParam()
                .param().name("body").type(RestParamType.body).required(true)
                        .description("{\"total\": N}, N from 0 to " + AdminApi.MAX_TOTAL).endParam();
        answer(admin, 200, "The day as it now stands, and what the change promoted", CapacityChange.class)
                .endResponseMessage();
        answer(admin, 400, "The body is not {\"total\": N} with N from 0 to " + AdminApi.MAX_TOTAL, AdminProblem.class)
                .endResponseMessage();
        answer(admin, 404, "Not an opening day", AdminProblem.class).endResponseMessage();
        answer(admin, 409, "BelowReserved: more spots are reserved that day than the new total", AdminProblem.class)
                .endResponseMessage();
        refusalsAndFailures(admin, false);
        admin.to("direct:admin-capacity-change");

        admin.get("/state-machine").id("getStateMachine")
                .description("The workflow as the running routes define it: states (task, choice, wait, succeed, fail),"
                        + " transitions with their conditions, the failure ends with their error and cause")
                .security(BEARER);
        answer(admin, 200, "The state machine", StateMachine.class).endResponseMessage();
        refusalsAndFailures(admin, false);
        admin.to("direct:admin-state-machine");

        admin.get("/state-machine.asl.json").id("getStateMachineAsl")
                .description("The same state machine as Amazon States Language, to paste into Step Functions (replace"
                        + " REGION and ACCOUNT_ID in the ARNs)")
                .security(BEARER);
        answer(admin, 200, "The state machine in Amazon States Language", StatesLanguageDocument.class).endResponseMessage();
        refusalsAndFailures(admin, false);
        admin.to("direct:admin-state-machine-asl");

        admin.get("/waitlist").id("listWaitlist").description("The waitlist in order, a page of it")
                .security(BEARER)
                .param().name("limit").type(RestParamType.query).required(false).dataType("integer")
                        .description("page size, 1 to " + AdminApi.MAX_PAGE_SIZE + "; " + AdminApi.DEFAULT_PAGE_SIZE
                                + " when absent").endParam()
                .param().name("offset").type(RestParamType.query).required(false).dataType("integer")
                        .description("how many to skip from the first; 0 when absent").endParam();
        answer(admin, 200, "The waitlist", WaitlistPage.class).endResponseMessage();
        answer(admin, 400, "A query parameter is wrong", AdminProblem.class).endResponseMessage();
        refusalsAndFailures(admin, false);
        admin.to("direct:admin-waitlist");
    }

    /** POST /executions/{id}/ACTION, documented; reject adds its body and 400 before {@link #decisionTail}. */
    private static void decision(RestDefinition admin, String action, String id, String description, String conflict) {
        admin.post("/executions/{id}/" + action).id(id).description(description)
                .security(BEARER)
                .param().name("id").type(RestParamType.path).required(true).dataType("string")
                        .description("the executionId").endParam();
        if (!action.equals("reject")) {
            decisionTail(admin, action, conflict);
        }
    }

    private static void decisionTail(RestDefinition admin, String action, String conflict) {
        answer(admin, 200, "The execution as it now stands", ExecutionResult.class).endResponseMessage();
        answer(admin, 409, conflict, AdminProblem.class).endResponseMessage();
        refusalsAndFailures(admin, true);
        admin.to("direct:admin-" + action);
    }

    /** What every admin endpoint may answer besides its own: 401, 404 where it names an execution, 500 and 503. */
    private static void refusalsAndFailures(RestDefinition verb, boolean namesAnExecution) {
        answer(verb, 401, "No or a wrong bearer token", AdminProblem.class)
                .header("WWW-Authenticate").dataType("string").example("Bearer").endHeader()
                .endResponseMessage();
        if (namesAnExecution) {
            answer(verb, 404, "No such execution", AdminProblem.class).endResponseMessage();
        }
        answer(verb, 500, "InternalError: a failure of ours, of which nothing is answered", AdminProblem.class)
                .endResponseMessage();
        answer(verb, 503, "ServiceUnavailable: the database cannot be reached", AdminProblem.class)
                .header("Retry-After").dataType("integer").description("seconds").endHeader()
                .endResponseMessage();
    }

    /** One documented answer of the last verb, to end with endResponseMessage(); every admin answer has no-store. */
    private static ResponseMessageDefinition answer(RestDefinition verb, int code, String message, Class<?> model) {
        return verb.responseMessage().code(code).message(message).responseModel(model)
                .header("Cache-Control").dataType("string").example("no-store").endHeader();
    }

    private static int codeOf(Exception refused) {
        if (refused instanceof NotAuthorized) {
            return 401;
        }
        if (refused instanceof NotAwaitingApproval || refused instanceof NotCancellable
                || refused instanceof AdminApi.BelowReserved) {
            return 409;
        }
        return refused instanceof AdminApi.NotFound || refused instanceof ExecutionNotFound ? 404 : 400;
    }

    /**
     * " for execution ID" when the path named an execution id of ours, else nothing: whatever else a client put in
     * the request (a searched name, an e-mail address, any path) stays out of the log.
     */
    private static void loggedRequest(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null) {
            // a decision's route moved the id onto the exchange before the workflow took over
            id = exchange.getProperty(Executions.RESUME_ID, String.class);
        }
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
