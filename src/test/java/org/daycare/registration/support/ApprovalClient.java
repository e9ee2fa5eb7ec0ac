package org.daycare.registration.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The approval endpoints of one running service, in-process ({@link RunningApplication}) or in a JVM of its own
 * ({@link ApplicationProcess}), over HTTP/1.1 on loopback: submissions, the director's decisions, the status link, and
 * what the admin endpoints say of an execution. A request that gets no answer throws; answers are returned as they are.
 */
public final class ApprovalClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    /** The service's data directory, where its local notifications log is (null when unknown). */
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private ApprovalClient(URI base, Path dataDir) {
        this.base = base;
        this.dataDir = dataDir;
    }

    public static ApprovalClient of(RunningApplication app) {
        return new ApprovalClient(app.uri(""), app.dataDir());
    }

    public static ApprovalClient of(ApplicationProcess process) {
        return new ApprovalClient(process.uri(""), null);
    }

    /** POST /registrations/{id}/cancel, the family's cancellation through its status link. */
    public HttpResponse<String> cancel(String executionId, String token) {
        return send(request("/registrations/" + executionId + "/cancel")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The registration as its status link shows it now (which must open). */
    public JsonNode statusOf(String executionId, String token) {
        HttpResponse<String> response = status(executionId, token);
        if (response.statusCode() != 200) {
            throw new AssertionError("the status link answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    /** The spots reserved (confirmed or held) on an opening day, from GET /capacity. */
    public int reservedOn(String day) {
        for (JsonNode each : admin("/capacity").get("days")) {
            if (each.get("day").asText().equalsIgnoreCase(day)) {
                return each.get("reserved").asInt();
            }
        }
        throw new AssertionError("no opening day " + day);
    }

    /** The ids GET /approvals lists, oldest first. */
    public List<String> awaitingApproval() {
        List<String> ids = new ArrayList<>();
        admin("/approvals").get("approvals").forEach(item -> ids.add(item.get("executionId").asText()));
        return ids;
    }

    /**
     * This execution's notifications from the service's local notifications log, in order, once there are at least
     * {@code expected} (a line being appended may be read half-written: it is read again).
     */
    public List<JsonNode> notificationsOf(String executionId, int expected) {
        List<JsonNode> found = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptionsInstanceOf(AssertionError.class)
                .until(() -> {
                    found.clear();
                    found.addAll(notificationsLogged(dataDir, executionId));
                    return found.size() >= expected;
                });
        return found;
    }

    public static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    public HttpResponse<String> register(String registration) {
        return send(request("/registrations").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(registration)));
    }

    public HttpResponse<String> register(String registration, String idempotencyKey) {
        return send(request("/registrations").header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey).POST(HttpRequest.BodyPublishers.ofString(registration)));
    }

    /** POST /executions/{id}/approve|reject|cancel with the admin token, and {@code body} (none when null). */
    public HttpResponse<String> decide(String executionId, String action, String body) {
        return send(request("/executions/" + executionId + "/" + action)
                .header("Authorization", "Bearer " + RunningApplication.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** PUT /capacity/{day} with the admin token and {"total": N}. */
    public HttpResponse<String> changeCapacity(String day, String body) {
        return send(request("/capacity/" + day).header("Authorization", "Bearer " + RunningApplication.ADMIN_TOKEN)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The ids GET /waitlist lists, in order (the first page of up to 200). */
    public List<String> waitlisted() {
        List<String> ids = new ArrayList<>();
        admin("/waitlist?limit=200").get("waitlist").forEach(item -> ids.add(item.get("executionId").asText()));
        return ids;
    }

    /** GET /registrations/{id}, the status link, with this bearer token (none when null). */
    public HttpResponse<String> status(String executionId, String bearer) {
        HttpRequest.Builder request = request("/registrations/" + executionId).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request);
    }

    /** A GET of an admin endpoint with the admin token; anything but 200 fails. */
    public JsonNode admin(String path) {
        HttpResponse<String> response = send(request(path).header("Authorization", "Bearer " + RunningApplication.ADMIN_TOKEN).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /** GET /executions/{id}: the execution as recorded (status, error, ...). */
    public JsonNode execution(String executionId) {
        return admin("/executions/" + executionId);
    }

    /** The waiting registration as GET /approvals lists it, null when it is not listed. */
    public JsonNode listedForApproval(String executionId) {
        for (JsonNode item : admin("/approvals").get("approvals")) {
            if (item.get("executionId").asText().equals(executionId)) {
                return item;
            }
        }
        return null;
    }

    /** The history as lines "TYPE State[ statusCode][ detail]", in order. */
    public List<String> history(String executionId) {
        List<String> events = new ArrayList<>();
        for (JsonNode event : admin("/executions/" + executionId + "/history").get("events")) {
            events.add(event.get("type").asText() + " " + event.get("state").asText()
                    + (event.has("statusCode") ? " " + event.get("statusCode").asInt() : "")
                    + (event.hasNonNull("detail") ? " " + event.get("detail").asText() : ""));
        }
        return events;
    }

    /** Reserved spots on Monday, every test registration's first day (GET /capacity). */
    public int reservedOnMonday() {
        return reservedOn("Monday");
    }

    /** One scrape of /observe/metrics. */
    public PrometheusScrape metrics() {
        HttpResponse<String> response = send(request("/observe/metrics").GET());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /observe/metrics answered " + response.statusCode());
        }
        return PrometheusScrape.of(response.body());
    }

    /** Exchanges a route has completed or failed so far ({@code camel_exchanges_total}), 0 before its first. */
    public long exchangesOf(String routeId) {
        return (long) metrics().matching("camel_exchanges_total", "routeId", routeId).stream()
                .mapToDouble(PrometheusScrape.Sample::value).sum();
    }

    /** The notifications the local notifications log of this data directory holds for the execution, in order. */
    public static List<JsonNode> notificationsLogged(Path dataDir, String executionId) throws IOException {
        Path log = dataDir.resolve("notifications/outcomes.jsonl");
        List<JsonNode> found = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                JsonNode notification = json(line);
                if (notification.at("/attributes/executionId").asText().equals(executionId)) {
                    found.add(notification);
                }
            }
        }
        return found;
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("no answer from " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
