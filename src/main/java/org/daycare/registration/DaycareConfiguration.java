package org.daycare.registration;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.PropertyInject;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.daycare.registration.admin.AdminApi;
import org.daycare.registration.admin.AdminToken;
import org.daycare.registration.console.ConsoleAssets;
import org.daycare.registration.family.StatusLinks;
import org.daycare.registration.intake.InboxLocks;
import org.daycare.registration.intake.RegistrationDocumentReader;
import org.daycare.registration.intake.RejectedRequest;
import org.daycare.registration.intake.RequestTooLargeAnswer;
import org.daycare.registration.notify.NotificationPublisher;
import org.daycare.registration.notify.OutboxDrainer;
import org.daycare.registration.notify.SnsClients;
import org.daycare.registration.observe.DatabaseReadiness;
import org.daycare.registration.observe.StoreGauges;
import org.daycare.registration.statemachine.StateMachineReader;
import org.daycare.registration.store.NotificationOutbox;
import org.daycare.registration.rules.AgeRange;
import org.daycare.registration.rules.FeeSchedule;
import org.daycare.registration.rules.InformationCheck;
import org.daycare.registration.rules.OpeningDays;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.CapacityPlan;
import org.daycare.registration.store.Database;
import org.daycare.registration.store.JdbcCapacityLedger;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.workflow.ApprovalPolicy;
import org.daycare.registration.workflow.WaitlistPolicy;
import org.daycare.registration.workflow.Executions;
import org.daycare.registration.security.StatusTokens;
import org.daycare.registration.workflow.RegistrationStates;
import org.daycare.registration.workflow.ResultDocuments;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Every bean of the application, made once from configuration; the keys are documented in the README. No key has a
 * default here: each has its one default in config/application.properties, and a key missing there stops start-up.
 */
public class DaycareConfiguration implements CamelConfiguration {

    /** The API's server; the management endpoints (health, metrics) must share it: see {@link #configure}. */
    @PropertyInject("camel.server.port")
    private int serverPort;
    @PropertyInject("camel.management.port")
    private int managementPort;

    @PropertyInject("daycare.clock.zone")
    private String clockZone;
    /** Pins today's date (ISO) for demos and tests; time of day still runs. */
    @PropertyInject("daycare.clock.today")
    private String clockToday;

    @PropertyInject("daycare.opening-days")
    private String openingDays;
    @PropertyInject("daycare.age.min")
    private int minimumAge;
    @PropertyInject("daycare.age.max")
    private int maximumAge;
    @PropertyInject("daycare.fees")
    private String fees;
    @PropertyInject("daycare.start-offset-days")
    private int startOffsetDays;
    @PropertyInject("daycare.capacity.per-day")
    private int capacityPerDay;
    /** Per-day exceptions to capacity.per-day, e.g. {@code Friday:10,Monday:25}. */
    @PropertyInject("daycare.capacity.overrides")
    private String capacityOverrides;

    @PropertyInject("daycare.data-dir")
    private String dataDir;
    /** Empty: the embedded H2 database under the data directory. */
    @PropertyInject("daycare.db.url")
    private String dbUrl;
    @PropertyInject("daycare.db.user")
    private String dbUser;
    @PropertyInject("daycare.db.password")
    private String dbPassword;
    @PropertyInject("daycare.db.pool-size")
    private int dbPoolSize;
    @PropertyInject("daycare.db.connection-timeout-ms")
    private long dbConnectionTimeoutMillis;
    @PropertyInject("daycare.approval.required")
    private String approvalRequired;
    @PropertyInject("daycare.approval.timeout")
    private String approvalTimeout;
    @PropertyInject("daycare.waitlist.enabled")
    private boolean waitlistEnabled;
    @PropertyInject("daycare.waitlist.max-wait")
    private String waitlistMaxWait;
    @PropertyInject("daycare.status-token.secret")
    private String statusTokenSecret;
    @PropertyInject("daycare.admin.token")
    private String adminToken;
    @PropertyInject("daycare.health.db-timeout-ms")
    private long healthDbTimeoutMillis;
    @PropertyInject("daycare.inbox.lock-max-age-ms")
    private long inboxLockMaxAgeMillis;
    @PropertyInject("daycare.inbox.lock-keep-alive-ms")
    private long inboxLockKeepAliveMillis;

    @PropertyInject("daycare.http.max-body-bytes")
    private long maxBodyBytes;
    @PropertyInject("daycare.json.max-nesting-depth")
    private int maxNestingDepth;
    @PropertyInject("daycare.json.max-string-length")
    private int maxStringLength;

    @PropertyInject("daycare.sns.topic-arn")
    private String snsTopicArn;
    @PropertyInject("daycare.notifications")
    private String notificationsDirectory;
    @PropertyInject("daycare.notify.lease-ms")
    private long notifyLeaseMillis;
    @PropertyInject("daycare.notify.retry-base-ms")
    private long notifyRetryBaseMillis;
    @PropertyInject("daycare.notify.retry-max-ms")
    private long notifyRetryMaxMillis;
    @PropertyInject("daycare.sns.region")
    private String snsRegion;
    @PropertyInject("daycare.sns.endpoint")
    private String snsEndpoint;
    @PropertyInject("daycare.sns.access-key")
    private String snsAccessKey;
    @PropertyInject("daycare.sns.secret-key")
    private String snsSecretKey;
    @PropertyInject("daycare.sns.timeout-ms")
    private long snsTimeoutMillis;

    /**
     * One port for everything: with a management port of its own, Camel 4.17 starts two servers and binds the API's
     * routes to a router that does not exist (or to the management one), so such a setting stops start-up here.
     */
    @Override
    public void configure(CamelContext camelContext) {
        if (serverPort != managementPort) {
            throw new IllegalArgumentException("camel.management.port (" + managementPort + ") differs from"
                    + " camel.server.port (" + serverPort + "): this service answers its API, health and metrics on one"
                    + " port. Set camel.server.port only (camel.management.port follows it).");
        }
    }

    @BindToRegistry
    public Clock clock() {
        ZoneId zone = clockZone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(clockZone);
        Clock system = Clock.system(zone);
        if (clockToday.isBlank()) {
            return system;
        }
        LocalDate pinned = LocalDate.parse(clockToday);
        LocalDate actual = LocalDate.now(system);
        return Clock.offset(system, Duration.between(actual.atStartOfDay(zone), pinned.atStartOfDay(zone)));
    }

    /**
     * The one ObjectMapper. Bodies come from the open network, so the parser itself bounds nesting and string
     * length and refuses duplicate keys and trailing content instead of silently picking one reading.
     */
    @BindToRegistry
    public ObjectMapper objectMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxNestingDepth)
                .maxStringLength(maxStringLength)
                .build());
        return mapper;
    }

    @BindToRegistry
    public RegistrationDocumentReader registrationDocumentReader(ObjectMapper objectMapper) {
        return new RegistrationDocumentReader(objectMapper, maxBodyBytes);
    }

    @BindToRegistry
    public ResultDocuments resultDocuments(ObjectMapper objectMapper) {
        return new ResultDocuments(objectMapper);
    }

    /**
     * The HTTP server stops reading a body past max-body-bytes (camel.server.max-body-size is that key) and fails
     * the request with 413 before any route sees it; this answers it with the same document the route gives.
     */
    @BindToRegistry
    public RequestTooLargeAnswer requestTooLargeAnswer(ResultDocuments resultDocuments)
            throws JsonProcessingException {
        return new RequestTooLargeAnswer(resultDocuments.toJson(RejectedRequest.tooLarge(maxBodyBytes)), serverPort);
    }

    @BindToRegistry
    public OpeningDays openingDays() {
        return OpeningDays.parse(openingDays);
    }

    /**
     * The connection pool, with the schema migrated by Flyway before anything uses it. The embedded H2 keeps its
     * write delay (commits written in the background): the store's commits wait for their write, shared by the
     * commits made meanwhile (see GroupCommit), so that none is answered before it would survive a killed process,
     * at less cost than a write per commit (WRITE_DELAY=0: 668 against 1,022 registrations/s at 32 connections,
     * docs/benchmarks.md). It keeps 64 parsed statements per connection
     * (QUERY_CACHE_SIZE, 8 by default, fewer than the statements of one execution: each was parsed again).
     */
    @BindToRegistry(destroyMethod = "close")
    public HikariDataSource dataSource() {
        String url = dbUrl.isBlank()
                ? "jdbc:h2:file:" + Path.of(dataDir, "db", "daycare").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64"
                : dbUrl;
        return Database.open(url, dbUser, dbPassword, dbPoolSize, dbConnectionTimeoutMillis);
    }

    /**
     * The one meter registry, under the name camel-micrometer-prometheus (camel.metrics.*) looks up: Camel's route and
     * exchange metrics and the application's own go to it, and /observe/metrics serves them all. camel-main 4.17
     * starts its metrics service before this configuration's beans, and that service then binds a registry of its own
     * making (a PrometheusMeterRegistry, as this one): that one is taken, else the meters would go where no scrape
     * reads them.
     */
    @BindToRegistry(value = MicrometerConstants.METRICS_REGISTRY_NAME, destroyMethod = "close")
    public PrometheusMeterRegistry metricsRegistry(CamelContext camelContext) {
        PrometheusMeterRegistry camels = camelContext.getRegistry().lookupByNameAndType(
                MicrometerConstants.METRICS_REGISTRY_NAME, PrometheusMeterRegistry.class);
        return camels != null ? camels : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Readiness: DOWN while the database is unreachable (Camel's registry health-check repository finds it). */
    @BindToRegistry
    public DatabaseReadiness databaseReadiness(HikariDataSource dataSource) {
        return new DatabaseReadiness(dataSource, positive("daycare.health.db-timeout-ms", healthDbTimeoutMillis));
    }

    @BindToRegistry
    public CapacityLedger capacityLedger(HikariDataSource dataSource, OpeningDays openingDays, ObjectMapper objectMapper,
            Clock clock) {
        JdbcCapacityLedger ledger = new JdbcCapacityLedger(dataSource, objectMapper, clock);
        ledger.seedCapacity(CapacityPlan.parse(openingDays, capacityPerDay, capacityOverrides));
        return ledger;
    }

    /**
     * The file drop's read locks, in the one database, so that instances sharing an inbox never take one file twice
     * (the file consumer in IntakeRoutes uses them; it also starts and stops them).
     */
    @BindToRegistry
    public InboxLocks inboxLocks(HikariDataSource dataSource) {
        return new InboxLocks(dataSource, inboxLockMaxAgeMillis, inboxLockKeepAliveMillis);
    }

    @BindToRegistry
    public JdbcExecutionStore executionStore(HikariDataSource dataSource) {
        return new JdbcExecutionStore(dataSource);
    }

    @BindToRegistry
    public Executions executions(JdbcExecutionStore executionStore, CapacityLedger capacityLedger,
            ResultDocuments resultDocuments, ObjectMapper objectMapper, Clock clock, PrometheusMeterRegistry metricsRegistry)
            throws java.io.IOException {
        Duration timeout = Duration.parse(approvalTimeout);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("daycare.approval.timeout must be a positive ISO-8601 duration: " + approvalTimeout);
        }
        Duration maxWait = Duration.parse(waitlistMaxWait);
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("daycare.waitlist.max-wait must be a positive ISO-8601 duration: " + waitlistMaxWait);
        }
        return new Executions(executionStore, capacityLedger, resultDocuments, objectMapper, clock, metricsRegistry,
                StatusTokens.configuredOrGenerated(statusTokenSecret, Path.of(dataDir, "status-token-secret")), timeout,
                maxWait);
    }

    /** The workflow as its routes define it (GET /state-machine, and its States Language export). */
    @BindToRegistry
    public StateMachineReader stateMachineReader(CamelContext camelContext, ObjectMapper objectMapper) {
        return new StateMachineReader(camelContext, objectMapper);
    }

    /** Whether a registration that finds a day full joins the waitlist (the router "Waitlist Enabled"). */
    @BindToRegistry
    public WaitlistPolicy waitlistPolicy() {
        return new WaitlistPolicy(waitlistEnabled);
    }

    /** Which registrations wait for the director (the router "Approval Required"). */
    @BindToRegistry
    public ApprovalPolicy approvalPolicy() {
        return ApprovalPolicy.parse(approvalRequired);
    }

    @BindToRegistry
    public RegistrationStates registrationStates(OpeningDays openingDays, CapacityLedger capacityLedger, Clock clock) {
        AgeRange ageRange = new AgeRange(minimumAge, maximumAge);
        FeeSchedule feeSchedule = FeeSchedule.parse(fees, startOffsetDays);
        feeSchedule.requireFeesFor(ageRange);
        return new RegistrationStates(new InformationCheck(openingDays, clock), ageRange, feeSchedule, capacityLedger, clock);
    }

    /** The admin endpoints' bearer token: daycare.admin.token, else generated into the data directory. */
    @BindToRegistry
    public AdminToken adminToken() throws java.io.IOException {
        return AdminToken.configuredOrGenerated(adminToken, Path.of(dataDir, "admin-token"));
    }

    /**
     * The header filter of the REST endpoints (see HttpApi): platform-http's default one drops Cache-Control from
     * answers, and the admin ones must carry no-store (they hold personal data).
     */
    @BindToRegistry
    public HeaderFilterStrategy apiHeaderFilterStrategy() {
        HttpHeaderFilterStrategy strategy = new HttpHeaderFilterStrategy();
        strategy.getOutFilter().remove("cache-control");
        return strategy;
    }

    @BindToRegistry
    public StatusLinks statusLinks(JdbcExecutionStore executionStore, AdminToken adminToken,
            CapacityLedger capacityLedger, ObjectMapper objectMapper) {
        return new StatusLinks(executionStore, adminToken, capacityLedger, objectMapper);
    }

    /** The console's files, from the jar (ConsoleRoutes serves them at /console/). */
    @BindToRegistry
    public ConsoleAssets consoleAssets() {
        return new ConsoleAssets();
    }

    @BindToRegistry
    public AdminApi adminApi(JdbcExecutionStore executionStore, CapacityLedger capacityLedger, ObjectMapper objectMapper) {
        return new AdminApi(executionStore, capacityLedger, objectMapper);
    }

    @BindToRegistry
    public NotificationOutbox notificationOutbox(HikariDataSource dataSource, Clock clock) {
        return new NotificationOutbox(dataSource, clock, positive("daycare.notify.retry-base-ms", notifyRetryBaseMillis),
                positive("daycare.notify.retry-max-ms", notifyRetryMaxMillis));
    }

    /**
     * The one SNS client, used by the aws2-sns endpoint of NotificationRoutes ({@code amazonSNSClient=#snsClient}):
     * made only when a topic is configured (building it makes no call to AWS; without a topic nothing is bound),
     * and closed here at shutdown, since an endpoint does not close a client it was given. Only an ARN is accepted:
     * given a name, the endpoint would list the topics at start-up.
     */
    @BindToRegistry(destroyMethod = "close")
    public SnsClient snsClient() {
        if (snsTopicArn.isBlank()) {
            return null;
        }
        if (!snsTopicArn.matches("arn:\\S+")) {
            throw new IllegalArgumentException("daycare.sns.topic-arn must be a topic ARN"
                    + " (arn:aws:sns:REGION:ACCOUNT:NAME), so that start-up makes no call to SNS: " + snsTopicArn);
        }
        return SnsClients.create(snsRegion, snsEndpoint, snsAccessKey, snsSecretKey, Duration.ofMillis(snsTimeoutMillis));
    }

    /** Drains the outbox to SNS (the route publish-to-sns) when a topic ARN is configured, else to the local log. */
    @BindToRegistry(destroyMethod = "close")
    public OutboxDrainer outboxDrainer(NotificationOutbox notificationOutbox, ObjectMapper objectMapper, Clock clock,
            CamelContext camelContext, PrometheusMeterRegistry metricsRegistry) {
        NotificationPublisher publisher = NotificationPublisher.to(snsTopicArn, camelContext,
                Path.of(notificationsDirectory), objectMapper, clock);
        return new OutboxDrainer(notificationOutbox, publisher, positive("daycare.notify.lease-ms", notifyLeaseMillis),
                Counter.builder("daycare.notifications.publish.failures")
                        .description("Notifications whose publication failed, once per attempt (each is retried)")
                        .register(metricsRegistry));
    }

    /** The database's gauges (spots per day, the outbox's backlog), read at each scrape: see {@link StoreGauges}. */
    @BindToRegistry
    public StoreGauges storeGauges(PrometheusMeterRegistry metricsRegistry, CapacityLedger capacityLedger,
            NotificationOutbox notificationOutbox, OpeningDays openingDays, Clock clock) {
        StoreGauges gauges = new StoreGauges(capacityLedger, notificationOutbox, openingDays, clock);
        metricsRegistry.getPrometheusRegistry().register(gauges);
        return gauges;
    }

    private static Duration positive(String key, long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException(key + " must be a positive number of milliseconds: " + millis);
        }
        return Duration.ofMillis(millis);
    }
}
