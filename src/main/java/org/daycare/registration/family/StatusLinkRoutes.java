package org.daycare.registration.family;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.daycare.registration.intake.IntakeRoutes;
import org.daycare.registration.intake.RejectedRequest;
import org.daycare.registration.store.StoreUnavailableException;
import org.daycare.registration.workflow.ExecutionNotFound;
import org.daycare.registration.workflow.ExecutionResult;
import org.daycare.registration.workflow.Executions;
import org.daycare.registration.workflow.NotCancellable;

/**
 * The families' endpoints: GET /registrations/{executionId} (where the registration stands) and POST
 * /registrations/{executionId}/cancel, each with the status token of the first answer as a bearer token (or the
 * admin token). Assumed to be called by strangers: a wrong token and an unknown id get the same 404, and no answer
 * holds anything the execution's own first answer did not.
 */
public class StatusLinkRoutes extends RouteConfigurationBuilder {

    private static final String ERRORS = "status-link-errors";
    private static final String ANSWER = "direct:status-link-answer";
    private static final String BEARER = "statusToken";

    @Override
    public void configuration() {
        RouteConfigurationDefinition errors = routeConfiguration(ERRORS);
        errors.onException(ExecutionNotFound.class).handled(true)
                .process(exchange -> answer(exchange, 404, "{\"error\":\"NotFound\",\"cause\":\"No such registration"
                        + " for this token.\"}"))
                .to(ANSWER);
        errors.onException(NotCancellable.class).handled(true)
                .process(exchange -> answer(exchange, 409, "{\"error\":\"NotCancellable\",\"cause\":\"The registration"
                        + " already failed or was cancelled, or was decided while you asked: look at its status, and"
                        + " cancel again if it is confirmed.\"}"))
                .to(ANSWER);
        errors.onException(StoreUnavailableException.class).handled(true)
                .log(LoggingLevel.WARN, "Status link answered 503: ${exception.class.name}")
                .process(exchange -> {
                    answer(exchange, 503, "{\"error\":\"ServiceUnavailable\",\"cause\":\""
                            + RejectedRequest.storeUnavailable().cause() + "\"}");
                    exchange.getMessage().setHeader("Retry-After", "5");
                })
                .to(ANSWER);
        errors.onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "Status link request failed: ${exception.class.name}")
                .log(LoggingLevel.DEBUG, "${exception.stacktrace}")
                .process(exchange -> answer(exchange, 500, "{\"error\":\"InternalError\",\"cause\":\"The request could"
                        + " not be answered because of an internal error.\"}"))
                .to(ANSWER);
    }

    @Override
    public void configure() {
        documentedEndpoints();

        from("direct:status-link-read")
                .routeId("status-link-read")
                .routeConfigurationId(ERRORS)
                .bean("statusLinks", "status")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                .to(ANSWER);

        // Cancellation resumes the execution through the workflow's routes, as a decision does
        from("direct:status-link-cancel")
                .routeId("status-link-cancel")
                .routeConfigurationId(ERRORS)
                .bean("statusLinks", "authorize")
                .setProperty(Executions.RESUME_ID, header("executionId"))
                .setProperty(Executions.DECISION, constant(Executions.Decision.CANCELLED))
                .removeHeaders("*")
                .to("direct:resume-execution")
                .to(IntakeRoutes.REWRITE_RESULT_FILE)
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                .bean("resultDocuments", "toJson")
                .to(ANSWER);

        from(ANSWER)
                .routeId("status-link-answer")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Cache-Control", constant("no-store"));
    }

    private void documentedEndpoints() {
        RestDefinition links = rest("{{daycare.http.path}}").tag("status link");
        links.securityDefinitions()
                .bearerToken(BEARER, "the statusToken of the registration's first answer (or the admin token)", "opaque")
                .end();
        links.get("/{executionId}").id("getRegistrationStatus")
                .description("Where the registration stands: {executionId, status, state, output | error and cause}")
                .security(BEARER)
                .param().name("executionId").type(RestParamType.path).required(true).dataType("string").endParam()
                .responseMessage().code(200).message("The registration as it stands").responseModel(ExecutionResult.class)
                        .header("Cache-Control").dataType("string").example("no-store").endHeader().endResponseMessage()
                .responseMessage().code(404).message("No such registration, or not with this token")
                        .responseModel(RejectedRequest.class).endResponseMessage()
                .to("direct:status-link-read");
        links.post("/{executionId}/cancel").id("cancelRegistration")
                .description("Withdraws the registration: waiting, its held spots are released; confirmed, its spots are"
                        + " released; it ends CANCELLED")
                .security(BEARER)
                .param().name("executionId").type(RestParamType.path).required(true).dataType("string").endParam()
                .responseMessage().code(200).message("CANCELLED").responseModel(ExecutionResult.class)
                        .header("Cache-Control").dataType("string").example("no-store").endHeader().endResponseMessage()
                .responseMessage().code(404).message("No such registration, or not with this token")
                        .responseModel(RejectedRequest.class).endResponseMessage()
                .responseMessage().code(409).message("NotCancellable: it already failed or was already cancelled")
                        .responseModel(RejectedRequest.class).endResponseMessage()
                .to("direct:status-link-cancel");
    }

    private static void answer(Exchange exchange, int code, String json) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        exchange.getMessage().setBody(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
