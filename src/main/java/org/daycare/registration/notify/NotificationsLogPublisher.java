package org.daycare.registration.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.daycare.registration.store.NotificationOutbox.PendingNotification;

/**
 * The embedded default, with no SNS topic: each notification becomes one JSON line of
 * {@code outcomes.jsonl} in the notifications directory ({@code publishedAt}, {@code subject}, {@code attributes},
 * {@code message} as a JSON object), i.e. what SNS would have been sent, and when. Like SNS, at-least-once: a line
 * is appended again if its row could not be marked sent afterwards.
 */
final class NotificationsLogPublisher implements NotificationPublisher {

    static final String FILE_NAME = "outcomes.jsonl";

    private final Path log;
    private final ObjectMapper json;
    private final Clock clock;

    NotificationsLogPublisher(Path directory, ObjectMapper json, Clock clock) {
        this.log = directory.resolve(FILE_NAME);
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String destination() {
        return "the notifications log";
    }

    @Override
    public Map<String, String> publish(List<PendingNotification> batch) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Map<String, String> results = new LinkedHashMap<>();
        for (PendingNotification notification : batch) {
            try {
                byte[] line = (line(notification) + "\n").getBytes(StandardCharsets.UTF_8);
                // one write per line, in append mode: a line is never interleaved with another one
                Files.write(log, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                results.put(notification.notificationId(), null);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // its text may quote the message, which holds personal data
                results.put(notification.notificationId(), "the outbox message is not JSON");
            } catch (IOException | RuntimeException e) {
                results.put(notification.notificationId(), SnsNotificationPublisher.describe(e));
            }
        }
        return results;
    }

    private String line(PendingNotification notification) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("publishedAt", clock.instant().toString());
        line.put("subject", notification.subject());
        line.put("attributes", notification.attributes());
        line.put("message", json.readTree(notification.message()));
        return json.writeValueAsString(line);
    }
}
