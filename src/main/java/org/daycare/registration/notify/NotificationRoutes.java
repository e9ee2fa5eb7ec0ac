package org.daycare.registration.notify;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.sns.Sns2Constants;
import org.daycare.registration.workflow.ExecutionResult;
import org.daycare.registration.workflow.ResultDocuments;

/**
 * Announces every execution's outcome, off the registration's own thread: to the SNS topic when one is
 * configured, else to a local notifications log (one JSON line per outcome) so that the embedded default
 * needs no AWS account. A slow or absent SNS only delays notifications, never a registration.
 */
public class NotificationRoutes extends RouteBuilder {

    private static final String NOTIFICATION = "notification";

    @PropertyInject(value = "daycare.sns.topic-arn", defaultValue = "")
    private String topicArn;
    @BeanInject
    private ResultDocuments resultDocuments;
    @BeanInject
    private ObjectMapper objectMapper;

    @Override
    public void configure() {
        boolean toSns = !topicArn.isBlank();

        from("seda:outcome-notifications")
                .routeId("announce-outcome")
                .onException(Exception.class)
                    .maximumRedeliveries("{{daycare.notify.max-redeliveries:6}}")
                    .redeliveryDelay("{{daycare.notify.redelivery-delay:1000}}")
                    .useExponentialBackOff()
                    .maximumRedeliveryDelay(60_000)
                    .asyncDelayedRedelivery()
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "Outcome notification of execution ${exchangeProperty.executionId} given up: ${exception.message}")
                .end()
                .process(this::prepare)
                .to(toSns ? "direct:publish-to-sns" : "direct:append-to-notifications-log");

        if (toSns) {
            // Only the three attributes may reach SNS: the component turns every String header into a message
            // attribute, so all other headers are gone (prepare) and the Camel* subject header is filtered by it.
            from("direct:publish-to-sns")
                    .routeId("publish-to-sns")
                    .errorHandler(noErrorHandler())
                    .to("aws2-sns:{{daycare.sns.topic-arn}}?amazonSNSClient=#snsClient&autoCreateTopic=false");
        } else {
            from("direct:append-to-notifications-log")
                    .routeId("append-to-notifications-log")
                    .errorHandler(noErrorHandler())
                    .process(this::asLogLine)
                    .to("file:{{daycare.notifications}}?fileName=outcomes.jsonl&fileExist=Append&appendChars=\\n");
        }
    }

    /** Body: the result document as JSON; headers: exactly the message attributes and the subject. */
    private void prepare(Exchange exchange) throws Exception {
        ExecutionResult result = exchange.getMessage().getBody(ExecutionResult.class);
        OutcomeNotification notification = OutcomeNotification.of(result,
                new String(resultDocuments.toJson(result), StandardCharsets.UTF_8));
        exchange.setProperty(NOTIFICATION, notification);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().getHeaders().putAll(notification.attributes());
        exchange.getMessage().setHeader(Sns2Constants.SUBJECT, notification.subject());
        exchange.getMessage().setBody(notification.message());
    }

    /** One line of the local notifications log: what SNS would have been sent, and when. */
    private void asLogLine(Exchange exchange) throws Exception {
        OutcomeNotification notification = exchange.getProperty(NOTIFICATION, OutcomeNotification.class);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("publishedAt", Instant.now().toString());
        line.put("subject", notification.subject());
        line.put("attributes", notification.attributes());
        line.put("message", objectMapper.readTree(notification.message()));
        exchange.getMessage().setBody(objectMapper.writeValueAsString(line));
    }
}
