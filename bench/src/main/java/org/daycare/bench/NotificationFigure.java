package org.daycare.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.daycare.registration.notify.NotificationPublisher;
import org.daycare.registration.notify.NotificationRoutes;
import org.daycare.registration.notify.OutboxDrainer;
import org.daycare.registration.notify.SnsClients;
import org.daycare.registration.store.NotificationOutbox;
import org.daycare.registration.store.NotificationOutbox.PendingNotification;
import org.daycare.registration.support.FauxqsServer;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Figure 4, the notification outbox drained to SNS (the fauxqs emulator on loopback, topic with one SQS queue
 * subscribed, as the tests run it). Three measures, in the same rounds:
 *
 * <ul>
 *   <li><b>drainer, back to back</b> (in this JVM): the application's own {@link OutboxDrainer},
 *       {@link NotificationOutbox} and SNS publisher on an H2 file database seeded with N due rows, its
 *       {@code drain()} called again as soon as it returns until none is pending. The publisher sends through the
 *       application's own {@link NotificationRoutes} (route publish-to-sns, its aws2-sns endpoint in batch mode) in a
 *       CamelContext of this JVM, with the SnsClient bound as {@code snsClient}, as DaycareConfiguration binds it.
 *       "Batch" is the publisher as shipped (claims of 50, PublishBatch calls of 10); "single" wraps the same
 *       publisher so that it is handed one notification at a time: PublishBatch calls of one entry.</li>
 *   <li><b>floor</b>: the same messages sent with the same SnsClient, with no database and no Camel: N PublishBatch
 *       calls of one entry, and N/10 PublishBatch calls of 10.</li>
 *   <li><b>the application as shipped</b> (its own JVM, config/jvm.options, config/application.properties as it is): started
 *       on a database seeded with M due rows; rate = M / the time from its "waiting in the outbox at start-up" log
 *       line (its first poll) to the moment the emulator's subscribed queue holds M messages (polled every 50 ms).</li>
 * </ul>
 */
final class NotificationFigure {

    private static final Pattern WAITING = Pattern.compile("^(\\S+ \\S+) .*notification\\(s\\) waiting in the outbox");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private NotificationFigure() {
    }

    static void run(Settings settings, Report report) throws Exception {
        ObjectNode figure = report.figure("4_notifications");
        figure.put("rows_per_round", settings.notifications);
        figure.put("rounds", settings.notifyRounds);
        figure.put("sns", "fauxqs 1.9.2 on 127.0.0.1 (src/test/fauxqs), one SQS queue subscribed");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        List<String> modes = List.of("drain-batch", "drain-single", "raw-batch", "raw-single", "raw-batch-overlapped");
        modes.forEach(m -> rates.put(m, new ArrayList<>()));
        List<Double> shipped = new ArrayList<>();
        int shippedRounds = settings.quick ? 1 : settings.notifyRounds;
        try (FauxqsServer fauxqs = FauxqsServer.start("bench-outcomes")) {
            Path data = settings.work.resolve("notify/inprocess");
            FileDropFigure.deleteTree(data);
            ObjectMapper json = new ObjectMapper();
            try (HikariDataSource dataSource = Seeder.open(data);
                 SnsClient sns = SnsClients.create(FauxqsServer.REGION, fauxqs.endpoint(), FauxqsServer.ACCESS_KEY,
                         FauxqsServer.SECRET_KEY, Duration.ofSeconds(10));
                 DefaultCamelContext camel = new DefaultCamelContext()) {
                NotificationOutbox outbox = new NotificationOutbox(dataSource, Clock.systemUTC(), Duration.ofSeconds(1),
                        Duration.ofMinutes(5));
                NotificationPublisher batch = NotificationPublisher.to(fauxqs.topicArn(), camel,
                        data.resolve("notifications"), json, Clock.systemUTC());
                NotificationPublisher single = oneAtATime(batch);
                startRoutes(camel, sns, fauxqs.topicArn(), new OutboxDrainer(outbox, batch, Duration.ofSeconds(60)));
                // warm-up, not counted
                drain(dataSource, outbox, batch, "wb00", Math.min(500, settings.notifications));
                drain(dataSource, outbox, single, "ws00", Math.min(200, settings.notifications));
                raw(sns, fauxqs.topicArn(), true, Math.min(500, settings.notifications));
                raw(sns, fauxqs.topicArn(), false, Math.min(200, settings.notifications));
                rawOverlapped(sns, fauxqs.topicArn(), Math.min(500, settings.notifications));
                fauxqs.purgeQueue();
                for (int round = 1; round <= settings.notifyRounds; round++) {
                    for (int i = 0; i < modes.size(); i++) {
                        String mode = modes.get((i + round - 1) % modes.size());
                        String tag = (mode.startsWith("drain-b") ? "b" : "s") + round + "x" + (char) ('a' + i);
                        double rate = switch (mode) {
                            case "drain-batch" -> drain(dataSource, outbox, batch, tag, settings.notifications);
                            case "drain-single" -> drain(dataSource, outbox, single, tag, settings.notifications);
                            case "raw-batch" -> raw(sns, fauxqs.topicArn(), true, settings.notifications);
                            case "raw-batch-overlapped" -> rawOverlapped(sns, fauxqs.topicArn(), settings.notifications);
                            default -> raw(sns, fauxqs.topicArn(), false, settings.notifications);
                        };
                        rates.get(mode).add(rate);
                        fauxqs.purgeQueue();
                    }
                }
            }
            for (int round = 1; round <= shippedRounds; round++) {
                shipped.add(shipped(settings, fauxqs, round));
                fauxqs.purgeQueue();
            }
        }
        rates.forEach((mode, values) -> {
            ArrayNode rounds = figure.putArray(mode.replace('-', '_') + "_per_second_rounds");
            values.forEach(rounds::add);
        });
        ArrayNode shippedRoundsJson = figure.putArray("shipped_app_per_second_rounds");
        shipped.forEach(shippedRoundsJson::add);
        double drainBatch = Stats.median(rates.get("drain-batch"));
        double drainSingle = Stats.median(rates.get("drain-single"));
        double rawBatch = Stats.median(rates.get("raw-batch"));
        double rawSingle = Stats.median(rates.get("raw-single"));
        double rawOverlapped = Stats.median(rates.get("raw-batch-overlapped"));
        double shippedRate = Stats.median(shipped);
        figure.put("drain_batch_median", drainBatch).put("drain_single_median", drainSingle)
                .put("raw_batch_median", rawBatch).put("raw_batch_overlapped_median", rawOverlapped).put("raw_single_median", rawSingle)
                .put("shipped_app_median", shippedRate).put("shipped_app_rows", settings.deployedNotifications)
                .put("shipped_app_rounds", shippedRounds);
        String rows = String.format("%,d rows/round", settings.notifications);
        report.row("4", "outbox drain, PublishBatch, back to back", drainBatch, "msg/s", "raw PublishBatch", rawBatch,
                rows);
        report.row("4", "outbox drain, PublishBatch, back to back", drainBatch, "msg/s",
                "raw PublishBatch, 5 calls at a time", rawOverlapped, rows);
        report.row("4", "outbox drain, 1-entry PublishBatch, back to back", drainSingle, "msg/s", "raw 1-entry PublishBatch",
                rawSingle, rows);
        report.row("4", "  batch vs single (drainer)", drainBatch / drainSingle, "x", "raw batch vs single",
                rawBatch / rawSingle, null);
        report.row("4", "outbox drain, the app as shipped (poll-ms " + pollMs(settings) + ")", shippedRate, "msg/s",
                "drainer back to back", drainBatch, String.format("%,d rows, %d round(s)",
                        settings.deployedNotifications, shippedRounds));
        report.target("notification drain with batching (app as shipped)", ">= 2,000/s",
                Report.format(shippedRate) + "/s", shippedRate >= 2000);
        report.target("notification drain with batching (drainer back to back)", ">= 2,000/s",
                Report.format(drainBatch) + "/s", drainBatch >= 2000);
    }

    /** daycare.notify.poll-ms as config/application.properties sets it, for the table. */
    private static String pollMs(Settings settings) {
        try (java.io.Reader reader = Files.newBufferedReader(settings.root.resolve("config/application.properties"))) {
            java.util.Properties properties = new java.util.Properties();
            properties.load(reader);
            return properties.getProperty("daycare.notify.poll-ms", "?").strip();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /**
     * The application's notification routes, as DaycareConfiguration and application.properties set them up but for
     * the timer: it is due in an hour, so that only this figure's own drain() calls publish.
     */
    private static void startRoutes(DefaultCamelContext camel, SnsClient sns, String topicArn, OutboxDrainer drainer)
            throws Exception {
        camel.getRegistry().bind("snsClient", sns);
        camel.getRegistry().bind("outboxDrainer", drainer);
        Properties properties = new Properties();
        properties.setProperty("daycare.sns.topic-arn", topicArn);
        properties.setProperty("daycare.notify.poll-ms", String.valueOf(Duration.ofHours(1).toMillis()));
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.addRoutes(new NotificationRoutes());
        camel.start();
    }

    /** The shipped publisher, handed one notification per call (so each PublishBatch has one entry). */
    private static NotificationPublisher oneAtATime(NotificationPublisher publisher) {
        return new NotificationPublisher() {
            @Override
            public Map<String, String> publish(List<PendingNotification> batch) throws Exception {
                Map<String, String> results = new LinkedHashMap<>();
                for (PendingNotification notification : batch) {
                    results.putAll(publisher.publish(List.of(notification)));
                }
                return results;
            }

            @Override
            public String destination() {
                return publisher.destination();
            }
        };
    }

    /** Seeds {@code count} due rows (not timed), then drains them back to back; answers rows per second. */
    private static double drain(HikariDataSource dataSource, NotificationOutbox outbox, NotificationPublisher publisher,
            String tag, int count) throws Exception {
        Seeder.pendingNotifications(dataSource, tag, count);
        OutboxDrainer drainer = new OutboxDrainer(outbox, publisher, Duration.ofSeconds(60));
        long start = System.nanoTime();
        int published = 0;
        int idle = 0;
        while (published < count) {
            int sent = drainer.drain();
            published += sent;
            if (sent == 0 && ++idle > 100) {
                throw new IllegalStateException("the drainer stopped publishing at " + published + " of " + count
                        + " (see target/bench/work/logs/driver.log)");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (outbox.countPending() != 0) {
            throw new IllegalStateException(outbox.countPending() + " notifications still pending after the drain");
        }
        return count / seconds;
    }

    /** The floor: the same messages straight from the SnsClient, no database, no Camel. */
    private static double raw(SnsClient sns, String topicArn, boolean batch, int count) {
        String message = Seeder.RESULT.replace("@ID@", "raw").replace("@N@", "1").replace("@F@", "1");
        Map<String, MessageAttributeValue> attributes = Map.of(
                "outcome", MessageAttributeValue.builder().dataType("String").stringValue("SUCCEEDED").build(),
                "executionId", MessageAttributeValue.builder().dataType("String").stringValue("raw").build());
        long start = System.nanoTime();
        int perCall = batch ? 10 : 1;
        for (int sent = 0; sent < count; sent += perCall) {
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < Math.min(perCall, count - sent); i++) {
                entries.add(PublishBatchRequestEntry.builder().id("n" + i).subject("Registration confirmed")
                        .message(message).messageAttributes(attributes).build());
            }
            var response = sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("PublishBatch refused entries: " + response.failed());
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The floor with the drainer's overlap: PublishBatch calls of 10 sent 5 at a time (one claim of 50), the next 5
     * once all 5 are answered; no database, no Camel.
     */
    private static double rawOverlapped(SnsClient sns, String topicArn, int count) throws Exception {
        String message = Seeder.RESULT.replace("@ID@", "raw").replace("@N@", "1").replace("@F@", "1");
        Map<String, MessageAttributeValue> attributes = Map.of(
                "outcome", MessageAttributeValue.builder().dataType("String").stringValue("SUCCEEDED").build(),
                "executionId", MessageAttributeValue.builder().dataType("String").stringValue("raw").build());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            long start = System.nanoTime();
            for (int sent = 0; sent < count; sent += 50) {
                List<java.util.concurrent.Future<?>> calls = new ArrayList<>();
                for (int call = sent; call < Math.min(sent + 50, count); call += 10) {
                    List<PublishBatchRequestEntry> entries = new ArrayList<>();
                    for (int i = 0; i < Math.min(10, count - call); i++) {
                        entries.add(PublishBatchRequestEntry.builder().id("n" + i).subject("Registration confirmed")
                                .message(message).messageAttributes(attributes).build());
                    }
                    calls.add(pool.submit(() -> {
                        var response = sns.publishBatch(r -> r.topicArn(topicArn).publishBatchRequestEntries(entries));
                        if (!response.failed().isEmpty()) {
                            throw new IllegalStateException("PublishBatch refused entries: " + response.failed());
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> call : calls) {
                    call.get();
                }
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The application JVM, as shipped but for the topic, started on M due rows; its rate from its own log. */
    private static double shipped(Settings settings, FauxqsServer fauxqs, int round) throws Exception {
        Path data = settings.work.resolve("notify/app-r" + round);
        FileDropFigure.deleteTree(data);
        int count = settings.deployedNotifications;
        try (HikariDataSource dataSource = Seeder.open(data)) {
            Seeder.pendingNotifications(dataSource, "a" + round + "xx", count);
        }
        Map<String, String> properties = Map.of(
                "daycare.sns.topic-arn", fauxqs.topicArn(),
                "daycare.sns.endpoint", fauxqs.endpoint(),
                "daycare.sns.region", FauxqsServer.REGION,
                "daycare.sns.access-key", FauxqsServer.ACCESS_KEY,
                "daycare.sns.secret-key", FauxqsServer.SECRET_KEY);
        try (AppProcess app = AppProcess.application(settings, "notify-app-r" + round, data, properties)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(120, count / 20)).toNanos();
            while (queued(fauxqs) < count) {
                if (!app.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the application did not publish " + count
                            + " notifications in time; log " + app.log());
                }
                AppProcess.sleep(50);
            }
            Instant done = Instant.now();
            Instant first = firstPoll(app.log());
            if (first == null) {
                throw new IllegalStateException("no 'waiting in the outbox at start-up' line in " + app.log());
            }
            return count / (Duration.between(first, done).toNanos() / 1e9);
        }
    }

    /** Messages in the emulator's queue subscribed to the topic (the queue is purged between measures). */
    private static long queued(FauxqsServer fauxqs) {
        Map<QueueAttributeName, String> attributes = fauxqs.sqsClient().getQueueAttributes(r -> r
                .queueUrl(fauxqs.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    /** When the application's first poll of the outbox began: its "waiting in the outbox at start-up" line. */
    private static Instant firstPoll(Path log) throws java.io.IOException {
        for (String line : Files.readAllLines(log)) {
            Matcher waiting = WAITING.matcher(line);
            if (waiting.find()) {
                return LocalDateTime.parse(waiting.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant();
            }
        }
        return null;
    }
}
