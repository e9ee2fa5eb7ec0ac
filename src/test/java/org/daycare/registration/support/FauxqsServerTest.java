package org.daycare.registration.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/** Self-test of the fauxqs harness: a real SNS publish (single and batch) arrives in the subscribed queue. */
class FauxqsServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static FauxqsServer fauxqs;
    private static SnsClient sns;

    @BeforeAll
    static void startEmulator() {
        fauxqs = FauxqsServer.start("registration-outcomes");
        sns = fauxqs.snsClient();
    }

    @AfterAll
    static void stopEmulator() {
        if (fauxqs != null) {
            fauxqs.close();
        }
    }

    @BeforeEach
    void emptyQueue() {
        fauxqs.purgeQueue();
    }

    @Test
    void exposesLoopbackEndpointAndAwsStyleNames() {
        assertThat(fauxqs.endpoint()).isEqualTo("http://127.0.0.1:" + fauxqs.port());
        assertThat(fauxqs.topicArn()).isEqualTo("arn:aws:sns:us-east-1:000000000000:registration-outcomes");
        assertThat(fauxqs.queueUrl()).endsWith("/000000000000/registration-outcomes-test-queue");
        assertThat(sns.listTopics().topics()).anySatisfy(t -> assertThat(t.topicArn()).isEqualTo(fauxqs.topicArn()));
        assertThat(sns.listSubscriptionsByTopic(r -> r.topicArn(fauxqs.topicArn())).subscriptions())
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.protocol()).isEqualTo("sqs");
                    assertThat(s.endpoint()).isEqualTo(fauxqs.queueArn());
                });
    }

    @Test
    void publishedNotificationArrivesWithSubjectMessageAndAttributes() {
        PublishResponse published = sns.publish(r -> r
                .topicArn(fauxqs.topicArn())
                .subject("Registration accepted")
                .message("{\"registrationId\":\"R-1\",\"outcome\":\"ACCEPTED\"}")
                .messageAttributes(Map.of(
                        "outcome", string("ACCEPTED"),
                        "registrationId", string("R-1"))));
        assertThat(published.messageId()).isNotBlank();

        List<ReceivedNotification> received = fauxqs.receive(1, WAIT);

        assertThat(received).containsExactly(new ReceivedNotification(
                "Registration accepted",
                "{\"registrationId\":\"R-1\",\"outcome\":\"ACCEPTED\"}",
                Map.of("outcome", "ACCEPTED", "registrationId", "R-1")));
        assertThat(fauxqs.receive(0, Duration.ofMillis(300))).as("received messages are deleted").isEmpty();
    }

    @Test
    void publishBatchFansOutEveryEntry() {
        PublishBatchResponse response = sns.publishBatch(r -> r
                .topicArn(fauxqs.topicArn())
                .publishBatchRequestEntries(
                        entry("1", "Registration accepted", "body-1", "ACCEPTED", "R-1"),
                        entry("2", "Registration rejected", "body-2", "REJECTED", "R-2"),
                        entry("3", "Registration waitlisted", "body-3", "WAITLISTED", "R-3")));
        assertThat(response.failed()).isEmpty();
        assertThat(response.successful()).extracting(s -> s.id()).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(response.successful()).allSatisfy(s -> assertThat(s.messageId()).isNotBlank());

        List<ReceivedNotification> received = fauxqs.receive(3, WAIT);

        assertThat(received).containsExactlyInAnyOrder(
                new ReceivedNotification("Registration accepted", "body-1",
                        Map.of("outcome", "ACCEPTED", "registrationId", "R-1")),
                new ReceivedNotification("Registration rejected", "body-2",
                        Map.of("outcome", "REJECTED", "registrationId", "R-2")),
                new ReceivedNotification("Registration waitlisted", "body-3",
                        Map.of("outcome", "WAITLISTED", "registrationId", "R-3")));
    }

    @Test
    void notificationWithoutSubjectOrAttributes() {
        sns.publish(r -> r.topicArn(fauxqs.topicArn()).message("plain"));

        assertThat(fauxqs.receive(1, WAIT)).containsExactly(new ReceivedNotification(null, "plain", Map.of()));
    }

    @Test
    void survivesAnOutageOnTheSamePortWithTheSameTopicAndQueue() {
        String endpoint = fauxqs.endpoint();
        String topicArn = fauxqs.topicArn();
        String queueUrl = fauxqs.queueUrl();

        fauxqs.stopProcess();
        try {
            assertThat(fauxqs.isRunning()).isFalse();
            assertThatThrownBy(() -> sns.publish(r -> r.topicArn(topicArn).message("lost")))
                    .isInstanceOf(SdkClientException.class);
        } finally {
            fauxqs.startProcess();
        }

        assertThat(fauxqs.isRunning()).isTrue();
        assertThat(fauxqs.endpoint()).isEqualTo(endpoint);
        assertThat(fauxqs.queueUrl()).isEqualTo(queueUrl);
        sns.publish(r -> r.topicArn(topicArn).subject("after").message("back"));
        assertThat(fauxqs.receive(1, WAIT)).containsExactly(new ReceivedNotification("after", "back", Map.of()));
    }

    @Test
    void failsWithInstallHintWhenFauxqsIsNotInstalled(@TempDir Path emptyDir) {
        assertThatThrownBy(() -> FauxqsServer.start(emptyDir, "t", "q"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("npm ci --prefix src/test/fauxqs");
    }

    private static MessageAttributeValue string(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static PublishBatchRequestEntry entry(String id, String subject, String message, String outcome,
            String registrationId) {
        return PublishBatchRequestEntry.builder()
                .id(id)
                .subject(subject)
                .message(message)
                .messageAttributes(Map.of("outcome", string(outcome), "registrationId", string(registrationId)))
                .build();
    }
}
