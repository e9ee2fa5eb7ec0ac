package org.daycare.registration.workflow;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.daycare.registration.intake.SubmissionErrorHandling;
import org.daycare.registration.rules.AgeRange;
import org.daycare.registration.rules.FeeSchedule;
import org.daycare.registration.rules.InformationCheck;
import org.daycare.registration.rules.OpeningDays;
import com.zaxxer.hikari.HikariDataSource;
import org.daycare.registration.security.StatusTokens;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.ExecutionQuery;
import org.daycare.registration.store.ExecutionRecord;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.support.Ledgers;
import org.daycare.registration.support.Registrations;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state machine's routing, on the YAML routes themselves: after each state, the content-based router sends
 * 200 to the next state and 400 to that state's failure end; anything else is an error. Every direct: and seda:
 * hand-off is mocked (and still delivered), so the path an execution took can be asserted.
 */
class WorkflowRoutingTest extends CamelTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    private static final EnumSet<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    /** Status tokens made with a fixed test key. */
    static final StatusTokens TEST_TOKENS = testTokens();

    private final HikariDataSource database = Ledgers.freshH2();
    private final CapacityLedger ledger = Ledgers.on(database, WEEKDAYS, 1);
    private final Executions executions = new Executions(new JdbcExecutionStore(database), ledger,
            new ResultDocuments(JSON), JSON, TODAY, new SimpleMeterRegistry(), TEST_TOKENS, java.time.Duration.ofDays(7),
            java.time.Duration.ofDays(90));

    private static StatusTokens testTokens() {
        try {
            return StatusTokens.configuredOrGenerated("a-test-key-of-at-least-32-characters", Path.of("unused"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    public String isMockEndpoints() {
        return "(direct|seda):.*";
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        OpeningDays openingDays = new OpeningDays(WEEKDAYS);
        registry.bind("registrationStates", new RegistrationStates(new InformationCheck(openingDays, TODAY),
                new AgeRange(2, 5), FeeSchedule.parse("2:800,3:750,4:700,5:650", 14), ledger, TODAY));
        registry.bind("executions", executions);
        registry.bind("approvalPolicy", ApprovalPolicy.NEVER);
        registry.bind("waitlistPolicy", new org.daycare.registration.workflow.WaitlistPolicy(false));
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] {new SubmissionErrorHandling()};
    }

    private void loadWorkflowRoutes() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveMandatoryResource(context, "file:routes/registration-workflow.camel.yaml"));
    }

    private void startWithWorkflowRoutes() throws Exception {
        loadWorkflowRoutes();
        context.start();
    }

    private Exchange run(String registration) throws Exception {
        return template.request("direct:start-execution", exchange -> {
            exchange.getMessage().setBody(JSON.readTree(registration));
            executions.begin(exchange);
        });
    }

    private MockEndpoint reached(String directRoute) {
        return getMockEndpoint("mock:direct:" + directRoute);
    }

    @Test
    void aValidRegistrationPassesEveryStateAndSucceeds() throws Exception {
        startWithWorkflowRoutes();
        for (String state : new String[] {"check-information", "check-age-range", "check-spots-availability",
                "confirm-registration", "registration-succeeded"}) {
            reached(state).expectedMessageCount(1);
        }
        for (String failureEnd : new String[] {"notify-missing-info", "notify-invalid-age", "notify-no-spots"}) {
            reached(failureEnd).expectedMessageCount(0);
        }

        ExecutionResult result = run(Registrations.SUCCESS_CASE).getMessage().getBody(ExecutionResult.class);

        MockEndpoint.assertIsSatisfied(context);
        assertThat(result.status()).isEqualTo(ExecutionResult.Status.SUCCEEDED);
        assertThat(result.output().fees()).isEqualTo(650);
    }

    @Test
    void eachRouterIsTheOriginalsChoiceStateDecidingOnStatusCodeWithJsonPath() throws Exception {
        startWithWorkflowRoutes();

        for (String router : new String[] {"Information Check Result", "Age Check Result", "Spot Availability Result",
                "Confirmation Result", "Hold Result", "Approval Decision"}) {
            ProcessorDefinition<?> definition = ((ModelCamelContext) context).getProcessorDefinition(router);
            assertThat(definition).as(router).isInstanceOf(ChoiceDefinition.class);
            assertThat(((ChoiceDefinition) definition).getWhenClauses()).as(router).isNotEmpty().allSatisfy(when -> {
                assertThat(when.getExpression().getLanguage()).isEqualTo("jsonpath");
                assertThat(when.getExpression().getExpression()).matches("\\$\\[\\?\\(@\\.statusCode == \\d{3}\\)\\]");
            });
        }
    }

    @Test
    void checkInformation400GoesToNotifyMissingInfo() throws Exception {
        startWithWorkflowRoutes();
        reached("notify-missing-info").expectedMessageCount(1);
        reached("check-age-range").expectedMessageCount(0);

        ExecutionResult result = run("{\"registration_info\": {}}").getMessage().getBody(ExecutionResult.class);

        MockEndpoint.assertIsSatisfied(context);
        assertThat(result.error()).isEqualTo(WorkflowError.InformationIncomplete);
        assertThat(result.problems()).hasSize(3);
    }

    @Test
    void checkAgeRange400GoesToNotifyInvalidAge() throws Exception {
        startWithWorkflowRoutes();
        reached("check-age-range").expectedMessageCount(1);
        reached("notify-invalid-age").expectedMessageCount(1);
        reached("check-spots-availability").expectedMessageCount(0);

        ExecutionResult result = run(Registrations.FAILURE_CASE).getMessage().getBody(ExecutionResult.class);

        MockEndpoint.assertIsSatisfied(context);
        assertThat(result.error()).isEqualTo(WorkflowError.InvalidAge);
    }

    @Test
    void checkSpotsAvailability400GoesToNotifyNoSpots() throws Exception {
        startWithWorkflowRoutes();
        assertThat(Ledgers.reserve(ledger, "an-earlier-execution", WEEKDAYS)).isTrue();
        reached("check-spots-availability").expectedMessageCount(1);
        reached("notify-no-spots").expectedMessageCount(1);
        reached("confirm-registration").expectedMessageCount(0);

        ExecutionResult result = run(Registrations.SUCCESS_CASE).getMessage().getBody(ExecutionResult.class);

        MockEndpoint.assertIsSatisfied(context);
        assertThat(result.error()).isEqualTo(WorkflowError.NoSpots);
        assertThat(result.cause()).isEqualTo("There are no spots available.");
    }

    @Test
    void aRegistrationThatLosesTheLastSpotAfterTheCheckEndsInNoSpotsAtConfirmation() throws Exception {
        // The last spot goes to a concurrent execution between this one's check and its confirmation.
        loadWorkflowRoutes();
        AdviceWith.adviceWith(context, "confirm-registration", route -> route.weaveAddFirst()
                .process(exchange -> Ledgers.reserve(ledger, "a-concurrent-execution", WEEKDAYS)));
        context.start();
        reached("confirm-registration").expectedMessageCount(1);
        reached("notify-no-spots").expectedMessageCount(1);
        reached("registration-succeeded").expectedMessageCount(0);

        ExecutionResult result = run(Registrations.SUCCESS_CASE).getMessage().getBody(ExecutionResult.class);

        MockEndpoint.assertIsSatisfied(context);
        assertThat(result.error()).isEqualTo(WorkflowError.NoSpots);
        assertThat(ledger.capacity().get(DayOfWeek.MONDAY).reserved()).isEqualTo(1);
    }

    @Test
    void aStatusCodeOtherThan200Or400IsAnErrorNotAFallThrough() throws Exception {
        loadWorkflowRoutes();
        AdviceWith.adviceWith(context, "check-age-range", route -> route.weaveByType(org.apache.camel.model.BeanDefinition.class)
                .selectIndex(1).replace().setBody(org.apache.camel.builder.Builder.constant(new TaskResult(503, null, java.util.List.of()))));
        context.start();
        reached("check-spots-availability").expectedMessageCount(0);
        reached("notify-invalid-age").expectedMessageCount(0);

        Exchange exchange = run(Registrations.SUCCESS_CASE);

        MockEndpoint.assertIsSatisfied(context);
        assertThat(exchange.getException())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Check Age Range answered statusCode 503");
    }

    @Test
    void confirmRegistrationIsTheDurablePointADefectAfterItLeavesTheConfirmationStanding() throws Exception {
        // no transaction travels with the exchange: Confirm Registration commits the execution with its spots, so a
        // defect after that point can no longer undo them (the intake then answers what was recorded)
        loadWorkflowRoutes();
        AdviceWith.adviceWith(context, "registration-succeeded", route -> route.weaveAddFirst()
                .throwException(new IllegalStateException("a defect after the confirmation")));
        context.start();
        reached("confirm-registration").expectedMessageCount(1);

        Exchange exchange = run(Registrations.SUCCESS_CASE);

        MockEndpoint.assertIsSatisfied(context);
        assertThat(exchange.getException()).hasMessage("a defect after the confirmation");
        assertThat(ledger.capacity().get(DayOfWeek.MONDAY).reserved()).isEqualTo(1);
        assertThat(new JdbcExecutionStore(database).list(new ExecutionQuery(null, null, null, 10, null)))
                .extracting(ExecutionRecord::status).containsExactly("SUCCEEDED");
        assertThat(executions.failedOnDefect(exchange.getProperty(Executions.EXECUTION, RunningExecution.class)))
                .as("the defect's answer is the recorded outcome").isInstanceOf(ExecutionResult.class)
                .extracting(result -> ((ExecutionResult) result).status()).isEqualTo(ExecutionResult.Status.SUCCEEDED);
        // nothing of the database travels with the exchange
        assertThat(database.getHikariPoolMXBean().getActiveConnections()).isZero();
    }
}
