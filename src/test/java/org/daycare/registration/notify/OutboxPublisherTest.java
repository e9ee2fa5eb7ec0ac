package org.daycare.registration.notify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.component.aws2.sns.Sns2Endpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.daycare.registration.store.NotificationOutbox;
import org.daycare.registration.support.FauxqsServer;
import org.daycare.registration.support.OutboxRow;
import org.daycare.registration.support.ReceivedNotification;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequest;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishBatchResultEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox drainer (NotificationRoutes) in a small CamelContext with a real H2 outbox, publishing to a real
 * SNS-compatible server (fauxqs on loopback) read back from an SQS queue subscribed to the topic.
 */
class OutboxPublisherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Retry backoff of the outboxes these tests read and drain directly. */
    private static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
    private static final Duration BACKOFF_CAP = Duration.ofMinutes(5);

    static FauxqsServer sns;

    private HikariDataSource dataSource;
    private SnsClient snsClient;
    private DefaultCamelContext camel;
    /** SNS calls the application's client attempted, by operation name (PublishBatch, ListTopics, ...). */
    private final Map<String, Integer> snsCalls = new ConcurrentHashMap<>();
    /** SNS calls in flight now, and the most seen at once. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    /** When set, each call waits (at most 1.5 s) until this many are in flight, so that overlap is observable. */
    private volatile CountDownLatch together;

    @TempDir
    Path notifications;

    @BeforeAll
    static void startSns() {
        sns = FauxqsServer.start("outbox-outcomes");
    }

    @AfterAll
    static void stopSns() {
        if (sns != null) {
            sns.close();
        }
    }

    @BeforeEach
    void setUp() {
        if (!sns.isRunning()) {
            sns.startProcess();
        }
        sns.purgeQueue();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:publisher-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(4);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        snsClient = SnsClient.builder()
                .endpointOverride(sns.endpointUri())
                .region(Region.of(FauxqsServer.REGION))
                .credentialsProvider(FauxqsServer.credentials())
                .httpClient(ApacheHttpClient.builder()
                        .proxyConfiguration(ProxyConfiguration.builder()
                                .useSystemPropertyValues(false).useEnvironmentVariableValues(false).build())
                        .connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(5))
                        .build())
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(2)).addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        snsCalls.merge(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1, Integer::sum);
                        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        CountDownLatch latch = together;
                        if (latch != null) {
                            latch.countDown();
                            try {
                                latch.await(1500, TimeUnit.MILLISECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }

                    @Override
                    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                        inFlight.decrementAndGet();
                    }

                    @Override
                    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                        inFlight.decrementAndGet();
                    }
                }))
                .build();
    }

    @AfterEach
    void tearDown() {
        if (camel != null) {
            camel.stop();
        }
        snsClient.close();
        dataSource.close();
    }

    @Test
    void notificationsWrittenWhileSnsIsDownArriveExactlyOnceWhenItIsBack() throws Exception {
        List<Expected> expected = new ArrayList<>();
        sns.stopProcess();
        try {
            startCamel(sns.topicArn()); // SNS down at start-up does not prevent start-up
            for (int i = 0; i < 3; i++) {
                expected.add(insert(Outcome.SUCCEEDED, Instant.now()));
                expected.add(insert(Outcome.FAILED, Instant.now()));
            }
            // every one was tried, failed, kept, and tried again after its backoff
            await().atMost(WAIT).until(() -> {
                for (Expected e : expected) {
                    if (attempts(e.notificationId()) < 2) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(outbox().countPending()).isEqualTo(6);
            assertThat(lastError(expected.get(0).notificationId())).isNotBlank();
        } finally {
            sns.startProcess();
        }

        List<ReceivedNotification> received = sns.receive(expected.size(), WAIT);
        received.addAll(sns.receive(0, Duration.ofSeconds(3))); // anything more would be a duplicate

        assertThat(received).map(Expected::of).containsExactlyInAnyOrderElementsOf(expected);
        await().atMost(WAIT).until(() -> outbox().countPending() == 0);
        for (Expected e : expected) {
            assertThat(sentAt(e.notificationId())).isNotNull();
        }
    }

    @Test
    void twentyFiveWaitingNotificationsAreDrainedInBatchesSentTogether() throws Exception {
        together = new CountDownLatch(3);
        List<Expected> expected = new ArrayList<>();
        Instant base = Instant.now().minusSeconds(60);
        for (int i = 0; i < 25; i++) {
            expected.add(insert(i % 3 == 0 ? Outcome.FAILED : Outcome.SUCCEEDED, base.plusMillis(i)));
        }

        startCamel(sns.topicArn());
        List<ReceivedNotification> received = sns.receive(25, WAIT);
        received.addAll(sns.receive(0, Duration.ofSeconds(2)));

        assertThat(received).map(Expected::of).containsExactlyInAnyOrderElementsOf(expected);
        await().atMost(WAIT).until(() -> outbox().countPending() == 0);
        // one claim of 25, published in PublishBatch calls of 10, 10 and 5, all three in flight at once (one after
        // the other, each would have waited 1.5 s for the others in vain, and at most one would have been in flight)
        assertThat(snsCalls).isEqualTo(Map.of("PublishBatch", 3));
        assertThat(mostInFlight).hasValue(3);
    }

    @Test
    void theAws2SnsEndpointStartsWithoutCallingSnsAndPublishesWithTheSnsClientBean() throws Exception {
        startCamel(sns.topicArn());

        // started: the endpoint is initialised, and has called nothing (no ListTopics, CreateTopic, ...)
        assertThat(camel.getRouteController().getRouteStatus("publish-to-sns").isStarted()).isTrue();
        Sns2Endpoint sns2 = camel.getEndpoints().stream().filter(Sns2Endpoint.class::isInstance)
                .map(Sns2Endpoint.class::cast).findFirst().orElseThrow();
        assertThat(sns2.getSNSClient()).isSameAs(snsClient);
        assertThat(sns2.getConfiguration().isBatchEnabled()).isTrue();
        assertThat(snsCalls).isEmpty();

        // and that client is the one that publishes
        Expected expected = insert(Outcome.SUCCEEDED, Instant.now().minusSeconds(60));
        List<ReceivedNotification> received = sns.receive(1, WAIT);
        assertThat(received).map(Expected::of).containsExactly(expected);
        assertThat(snsCalls).isEqualTo(Map.of("PublishBatch", 1));
    }

    @Test
    void aNotificationSnsRefusesIsRetriedWhileTheOthersAreMarkedSent() throws Exception {
        Instant base = Instant.now().minusSeconds(60);
        Expected first = insert(Outcome.SUCCEEDED, base);
        Expected second = insert(Outcome.FAILED, base.plusMillis(1));
        Expected tooLong = insert(Outcome.SUCCEEDED, base.plusMillis(2), 300 * 1024); // over SNS' 256 KiB
        Expected third = insert(Outcome.SUCCEEDED, base.plusMillis(3));
        Expected fourth = insert(Outcome.FAILED, base.plusMillis(4));

        startCamel(sns.topicArn());
        List<ReceivedNotification> received = sns.receive(4, WAIT);
        received.addAll(sns.receive(0, Duration.ofSeconds(2)));

        assertThat(received).map(Expected::of).containsExactlyInAnyOrder(first, second, third, fourth);
        await().atMost(WAIT).until(() -> sentAt(fourth.notificationId()) != null);
        for (Expected sent : List.of(first, second, third, fourth)) {
            assertThat(sentAt(sent.notificationId())).isNotNull();
        }
        assertThat(sentAt(tooLong.notificationId())).isNull();
        assertThat(attempts(tooLong.notificationId())).isGreaterThanOrEqualTo(1);
        assertThat(lastError(tooLong.notificationId())).contains("too long");
        assertThat(outbox().countPending()).isEqualTo(1);
    }

    @Test
    void twoNotificationsOfOneExecutionArePublishedEachOnceInOnePublishBatch() throws Exception {
        String executionId = UUID.randomUUID().toString();
        Instant base = Instant.now().minusSeconds(60);
        Expected waiting = insert(executionId, Outcome.APPROVAL_REQUESTED, base, 0);
        Expected confirmed = insert(executionId, Outcome.SUCCEEDED, base.plusMillis(1), 0);

        startCamel(sns.topicArn());
        List<ReceivedNotification> received = sns.receive(2, WAIT);
        received.addAll(sns.receive(0, Duration.ofSeconds(2))); // anything more would be a duplicate

        assertThat(received).map(Expected::of).containsExactlyInAnyOrder(waiting, confirmed);
        await().atMost(WAIT).until(() -> outbox().countPending() == 0);
        assertThat(sentAt(waiting.notificationId())).isNotNull();
        assertThat(sentAt(confirmed.notificationId())).isNotNull();
        assertThat(snsCalls).isEqualTo(Map.of("PublishBatch", 1));
    }

    @Test
    void perEntryResultsOfAPublishBatchDecideWhichRowsAreMarkedSent() throws Exception {
        Instant base = Instant.now().minusSeconds(60);
        // a and b are two notifications of one execution: only the one SNS accepted counts as sent
        String executionId = UUID.randomUUID().toString();
        Expected a = insert(executionId, Outcome.APPROVAL_REQUESTED, base, 0);
        Expected b = insert(executionId, Outcome.FAILED, base.plusMillis(1), 0);
        Expected c = insert(Outcome.SUCCEEDED, base.plusMillis(2));
        List<PublishBatchRequest> requests = new ArrayList<>();
        // SNS accepts the first and the last entry, refuses the middle one, and says nothing more
        SnsClient partial = new SnsClient() {
            @Override
            public PublishBatchResponse publishBatch(PublishBatchRequest request) {
                requests.add(request);
                List<String> ids = request.publishBatchRequestEntries().stream().map(e -> e.id()).toList();
                return PublishBatchResponse.builder()
                        .successful(PublishBatchResultEntry.builder().id(ids.get(0)).messageId("m0").build(),
                                PublishBatchResultEntry.builder().id(ids.get(2)).messageId("m2").build())
                        .failed(BatchResultErrorEntry.builder().id(ids.get(1)).code("InternalError").senderFault(false)
                                .message("try again").build())
                        .build();
            }

            @Override
            public String serviceName() {
                return "sns";
            }

            @Override
            public void close() {
            }
        };
        NotificationOutbox outbox = outbox();
        // through the route and its aws2-sns endpoint, with that client as the endpoint's client; the timer stays idle
        OutboxDrainer drainer = startCamel("arn:aws:sns:us-east-1:000000000000:t", partial, Duration.ofHours(1));

        assertThat(drainer.drain()).isEqualTo(2);

        assertThat(requests).hasSize(1);
        PublishBatchRequest request = requests.get(0);
        assertThat(request.publishBatchRequestEntries()).extracting(e -> e.id())
                .containsExactly(a.notificationId(), b.notificationId(), c.notificationId());
        var entry = request.publishBatchRequestEntries().get(1);
        assertThat(entry.subject()).isEqualTo(b.subject());
        assertThat(entry.message()).isEqualTo(b.message());
        assertThat(entry.messageAttributes()).hasSize(3).allSatisfy((name, value) -> {
            assertThat(value.dataType()).isEqualTo("String");
            assertThat(value.stringValue()).isEqualTo(b.attributes().get(name));
        });
        assertThat(sentAt(a.notificationId())).isNotNull();
        assertThat(sentAt(c.notificationId())).isNotNull();
        assertThat(sentAt(b.notificationId())).isNull();
        assertThat(attempts(b.notificationId())).isEqualTo(1);
        assertThat(lastError(b.notificationId())).isEqualTo("PublishBatch entry failed: InternalError: try again");
        assertThat(outbox.countPending()).isEqualTo(1);
    }

    @Test
    void anUnreachableDatabaseOnlyDelaysNotifications() throws Exception {
        Expected waiting = insert(Outcome.SUCCEEDED, Instant.now().minusSeconds(60));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:tcp://127.0.0.1:1/nowhere"); // nothing listens on port 1
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(250);
        List<String> published = new ArrayList<>();
        NotificationPublisher recorder = new NotificationPublisher() {
            @Override
            public Map<String, String> publish(List<NotificationOutbox.PendingNotification> batch) {
                Map<String, String> results = new LinkedHashMap<>();
                batch.forEach(n -> {
                    published.add(n.executionId());
                    results.put(n.notificationId(), null);
                });
                return results;
            }

            @Override
            public String destination() {
                return "a recorder";
            }
        };
        try (HikariDataSource unreachable = new HikariDataSource(config)) {
            OutboxDrainer down = new OutboxDrainer(new NotificationOutbox(unreachable, Clock.systemUTC(), BACKOFF_BASE, BACKOFF_CAP), recorder,
                    Duration.ofSeconds(30));
            assertThat(down.drain()).isZero(); // nothing thrown
            assertThat(down.drain()).isZero();
        }
        OutboxDrainer up = new OutboxDrainer(outbox(), recorder, Duration.ofSeconds(30));
        assertThat(up.drain()).isEqualTo(1);
        assertThat(published).containsExactly(waiting.executionId());
        assertThat(sentAt(waiting.notificationId())).isNotNull();
    }

    @Test
    void withoutATopicNotificationsAreAppendedToTheLocalLogAndMarkedSent() throws Exception {
        Instant base = Instant.now().minusSeconds(60);
        Expected confirmed = insert(Outcome.SUCCEEDED, base);
        Expected rejected = insert(Outcome.FAILED, base.plusMillis(1));

        startCamel("");
        Path log = notifications.resolve("outcomes.jsonl");
        await().atMost(WAIT).until(() -> Files.exists(log) && Files.readAllLines(log).size() >= 2);
        await().atMost(WAIT).until(() -> outbox().countPending() == 0);

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        List<Expected> logged = new ArrayList<>();
        for (String line : lines) {
            JsonNode json = JSON.readTree(line);
            assertThat(json.fieldNames()).toIterable().containsExactly("publishedAt", "subject", "attributes", "message");
            assertThat(Instant.parse(json.get("publishedAt").asText())).isAfter(base);
            assertThat(json.get("message").isObject()).isTrue();
            @SuppressWarnings("unchecked")
            Map<String, String> attributes = JSON.convertValue(json.get("attributes"), Map.class);
            logged.add(new Expected(json.get("subject").asText(), attributes, JSON.writeValueAsString(json.get("message"))));
        }
        assertThat(logged).containsExactly(confirmed, rejected);
        assertThat(snsCalls).isEmpty();
        assertThat(camel.getRoute("publish-to-sns")).isNull(); // no SNS route, so no aws2-sns endpoint
        assertThat(camel.getEndpoints()).noneMatch(Sns2Endpoint.class::isInstance);
    }

    // ------------------------------------------------------------------ helpers

    private void startCamel(String topicArn) throws Exception {
        startCamel(topicArn, snsClient, Duration.ofMillis(100));
    }

    /**
     * NotificationRoutes as the application runs them: the drainer and, with a topic, the SNS client bound under the
     * names DaycareConfiguration gives them, polling every {@code poll}; answers the drainer.
     */
    private OutboxDrainer startCamel(String topicArn, SnsClient client, Duration poll) throws Exception {
        camel = new DefaultCamelContext();
        NotificationOutbox outbox = new NotificationOutbox(dataSource, Clock.systemUTC(), Duration.ofMillis(200),
                Duration.ofMillis(1000));
        if (!topicArn.isBlank()) {
            camel.getRegistry().bind("snsClient", client);
        }
        OutboxDrainer drainer = new OutboxDrainer(outbox,
                NotificationPublisher.to(topicArn, camel, notifications, JSON, Clock.systemUTC()), Duration.ofSeconds(10));
        camel.getRegistry().bind("outboxDrainer", drainer);
        Properties properties = new Properties();
        properties.setProperty("daycare.notify.poll-ms", String.valueOf(poll.toMillis()));
        properties.setProperty("daycare.sns.topic-arn", topicArn);
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.addRoutes(new NotificationRoutes());
        camel.start();
        return drainer;
    }

    private NotificationOutbox outbox() {
        return new NotificationOutbox(dataSource, Clock.systemUTC(), BACKOFF_BASE, BACKOFF_CAP);
    }

    enum Outcome { APPROVAL_REQUESTED, SUCCEEDED, FAILED }

    /** What a subscriber must receive: subject, exactly these attributes, the message verbatim. */
    record Expected(String subject, Map<String, String> attributes, String message) {
        String executionId() {
            return attributes.get("executionId");
        }

        /** Its outbox row's key. */
        String notificationId() {
            return NotificationOutbox.notificationId(executionId(), attributes.get("outcome"));
        }

        static Expected of(ReceivedNotification received) {
            return new Expected(received.subject(), received.attributes(), received.message());
        }
    }

    private Expected insert(Outcome outcome, Instant at) throws Exception {
        return insert(outcome, at, 0);
    }

    private Expected insert(Outcome outcome, Instant at, int padding) throws Exception {
        return insert(UUID.randomUUID().toString(), outcome, at, padding);
    }

    /**
     * A pending notification of the execution, as the execution store writes it (the execution's row comes with its
     * first notification: RUNNING when that one asks for approval).
     */
    private Expected insert(String executionId, Outcome outcome, Instant at, int padding) throws Exception {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("outcome", outcome.name());
        attributes.put("executionId", executionId);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("executionId", executionId);
        document.put("status", outcome.name());
        String subject;
        if (outcome == Outcome.APPROVAL_REQUESTED) {
            subject = "Approval requested";
            document.clear(); // the registration waiting for the director
            document.put("child", Map.of("firstName", "Mohamed", "lastName", "Diallo"));
            document.put("specialInstructions", "Mohamed has a peanut allergy.");
        } else if (outcome == Outcome.SUCCEEDED) {
            subject = "Registration confirmed";
            document.put("output", Map.of("child", Map.of("firstName", "Mohamed", "lastName", "Diallo"), "fees", 650,
                    "specialInstructions", "Mohamed has a peanut allergy." + "x".repeat(padding)));
        } else {
            subject = "Registration rejected: NoSpots";
            attributes.put("error", "NoSpots");
            document.put("error", "NoSpots");
            document.put("cause", "No spots available for the requested days.");
        }
        String message = JSON.writeValueAsString(document);
        String status = outcome == Outcome.APPROVAL_REQUESTED ? "RUNNING" : outcome.name();
        OutboxRow.pending(executionId, status, attributes.get("error"), subject,
                JSON.writeValueAsString(attributes), message, at, at).announcing(outcome.name()).insertInto(dataSource);
        return new Expected(subject, Map.copyOf(attributes), message);
    }

    private int attempts(String notificationId) throws SQLException {
        return column(notificationId, "attempts", Integer.class);
    }

    private String lastError(String notificationId) throws SQLException {
        return column(notificationId, "last_error", String.class);
    }

    private OffsetDateTime sentAt(String notificationId) throws SQLException {
        return column(notificationId, "sent_at", OffsetDateTime.class);
    }

    private <T> T column(String notificationId, String column, Class<T> type) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM notification_outbox WHERE notification_id = ?")) {
            s.setString(1, notificationId);
            try (ResultSet rows = s.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getObject(1, type);
            }
        }
    }
}
