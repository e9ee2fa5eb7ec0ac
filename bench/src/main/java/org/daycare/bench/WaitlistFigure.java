package org.daycare.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Figure 8, the waitlist. One application JVM as shipped with {@code daycare.waitlist.enabled=true} and Monday's total
 * at {@link #MONDAY} (the other days keep the suite's capacity), Monday filled first. In each round:
 * <ol>
 * <li><b>A raise.</b> A waitlist of N Monday registrations is built over HTTP (N children of their own, 8 client
 * threads, each answered 202 RUNNING Waitlisted; not timed), the outbox drained, then one {@code PUT /capacity/Monday}
 * raises the total by N: it promotes all N in its transaction (answering their ids, which must be the waitlist's
 * order) and the deadline sweep runs each on to Confirm Registration. Timed from the PUT's sending until
 * {@code GET /executions?status=RUNNING} lists none; promotions/s = N / that time.</li>
 * <li><b>Cancellations.</b> A waitlist of C more is built the same way; then C of the confirmed registrations are
 * cancelled ({@code POST /executions/{id}/cancel}, admin token, 8 client threads, each answered 200 CANCELLED), each
 * cancellation promoting the oldest waiting one. Timed from the start of the cancellations until none is RUNNING.</li>
 * <li><b>The floor.</b> Plain registrations with a free spot (Tuesday only): F children at 1 client thread (one
 * execution at a time, as the sweep runs promotions) and at 8, each answered 201 SUCCEEDED: confirmations/s.</li>
 * </ol>
 * Every answer is checked and counted; after each timed part the executions counters (/observe/metrics) must have
 * moved by exactly the promotions (and cancellations), the waitlist must be empty and Monday's reserved spots equal
 * to its total. Anything else fails the figure (the figures are still written; the run exits 1).
 */
final class WaitlistFigure {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer " + Settings.ADMIN_TOKEN;
    /** Monday's total at start-up: filled by the first registrations, so that every later Monday one waits. */
    static final int MONDAY = 100;
    private static final int CLIENT_THREADS = 8;
    /** The longest a timed part may take before the run is taken as broken. */
    private static final Duration GIVE_UP = Duration.ofMinutes(10);
    /** The longest wait for the outbox to be drained before a timed part. */
    private static final Duration DRAIN = Duration.ofMinutes(3);

    private WaitlistFigure() {
    }

    /** The executions counters of /observe/metrics at one moment. */
    private record Counts(double succeeded, double cancelled, double failed) {
    }

    static void run(Settings settings, Report report) throws Exception {
        Path data = settings.work.resolve("waitlist/data");
        FileDropFigure.deleteTree(data);
        ObjectNode figure = report.figure("8_waitlist");
        figure.put("database", "embedded H2 file (the default), data under " + settings.root.relativize(data));
        figure.put("jvm_flags", String.join(" ", Settings.APP_JVM_FLAGS));
        figure.put("waitlist_per_raise", settings.waitlistSize);
        figure.put("cancellations_per_round", settings.waitlistCancels);
        figure.put("floor_registrations", settings.waitlistFloor);
        figure.put("rounds", settings.waitlistRounds);
        figure.put("monday_total_at_start", MONDAY);
        figure.put("deadline_check_ms", "as shipped (config/application.properties)");
        figure.put("client", "java.net.http.HttpClient, HTTP/1.1, one thread per connection, each taking the next item");
        if (settings.quick) {
            figure.put("quick", "a waitlist of " + settings.waitlistSize + " instead of 10,000, one round");
        }
        List<String> failures = new ArrayList<>();
        ArrayNode rounds = figure.putArray("round_details");
        List<Double> raiseRates = new ArrayList<>();
        List<Double> putMillis = new ArrayList<>();
        List<Double> cancelRates = new ArrayList<>();
        List<Double> floor1 = new ArrayList<>();
        List<Double> floor8 = new ArrayList<>();
        HttpClient client = AppProcess.HTTP;
        try (AppProcess app = AppProcess.application(settings, "waitlist", data,
                Map.of("daycare.waitlist.enabled", "true", "daycare.capacity.overrides", "Monday:" + MONDAY))) {
            app.awaitHealthy();
            List<String> mondays = register(app, client, "wm" + settings.nonce, MONDAY, "Monday", CLIENT_THREADS, 201,
                    "SUCCEEDED", null, failures, "filling Monday");
            // warm-up: the join, a raise, a cancellation and a plain registration through the JIT before anything counts
            ObjectNode warm = rounds.addObject().put("warm_up", true);
            List<String> warmPromoted = raise(settings, app, client, "ww" + settings.nonce, settings.waitlistWarmup,
                    warm.putObject("raise"), failures);
            cancellations(settings, app, client, "wc" + settings.nonce, warmPromoted.subList(0,
                    Math.min(warmPromoted.size(), settings.waitlistWarmup / 2)), warm.putObject("cancellations"), failures);
            register(app, client, "wf" + settings.nonce, settings.waitlistWarmup, "Tuesday", CLIENT_THREADS, 201,
                    "SUCCEEDED", null, failures, "warm-up floor");
            quiet(app, client, failures);
            for (int round = 1; round <= settings.waitlistRounds; round++) {
                ObjectNode record = rounds.addObject().put("round", round);
                ObjectNode raised = record.putObject("raise");
                List<String> promoted = raise(settings, app, client, "wr" + settings.nonce + "r" + round,
                        settings.waitlistSize, raised, failures);
                raiseRates.add(raised.path("promotions_per_second").asDouble(Double.NaN));
                putMillis.add(raised.path("put_ms").asDouble(Double.NaN));
                ObjectNode cancelled = record.putObject("cancellations");
                cancellations(settings, app, client, "wq" + settings.nonce + "r" + round,
                        promoted.subList(0, Math.min(promoted.size(), settings.waitlistCancels)), cancelled, failures);
                cancelRates.add(cancelled.path("promotions_per_second").asDouble(Double.NaN));
                for (int threads : List.of(1, CLIENT_THREADS)) {
                    ObjectNode floor = record.putObject("floor_at_" + threads);
                    long begun = System.nanoTime();
                    register(app, client, "wp" + settings.nonce + "r" + round + "t" + threads, settings.waitlistFloor,
                            "Tuesday", threads, 201, "SUCCEEDED", floor, failures, "floor @" + threads);
                    (threads == 1 ? floor1 : floor8).add(floor.path("per_second").asDouble(Double.NaN));
                    floor.put("wall_seconds", Wrk.round((System.nanoTime() - begun) / 1e9, 3));
                    quiet(app, client, failures);
                }
            }
            figure.put("monday_filled_with", mondays.size());
        }
        double raise = Stats.median(raiseRates);
        double cancel = Stats.median(cancelRates);
        double f1 = Stats.median(floor1);
        double f8 = Stats.median(floor8);
        figure.put("raise_promotions_per_second_median", raise).put("put_ms_median", Stats.median(putMillis))
                .put("cancel_promotions_per_second_median", cancel)
                .put("floor_confirmations_per_second_at_1_median", f1)
                .put("floor_confirmations_per_second_at_8_median", f8);
        String rounds1 = settings.waitlistRounds + " round(s)";
        report.row("8", "promotions/s, one PUT raising Monday by " + String.format("%,d", settings.waitlistSize), raise,
                "/s", "POST /registrations @1, 201", f1, String.format("%,d waiting x %s; the PUT itself %s ms (median)",
                        settings.waitlistSize, rounds1, Report.format(Stats.median(putMillis))));
        report.row("8", "promotions/s, cancellations @8", cancel, "/s", "POST /registrations @1, 201", f1,
                String.format("%,d cancelled x %s", settings.waitlistCancels, rounds1));
        report.row("8", "  floor: POST /registrations @8, 201", f8, "/s", "POST /registrations @1, 201", f1,
                String.format("%,d registrations x %s, Tuesday only", settings.waitlistFloor, rounds1));
        ArrayNode failed = figure.putArray("failures");
        failures.forEach(failed::add);
        failures.forEach(f -> report.fail("figure 8: " + f));
    }

    /**
     * The raise: a waitlist of {@code count}, then one PUT raising Monday by as many, timed until none is RUNNING.
     * Answers the ids promoted, in the order the PUT gave them (the waitlist's, checked).
     */
    private static List<String> raise(Settings settings, AppProcess app, HttpClient client, String prefix, int count,
            ObjectNode record, List<String> failures) throws Exception {
        List<String> waiting = register(app, client, prefix, count, "Monday", CLIENT_THREADS, 202, "RUNNING",
                record.putObject("joining"), failures, "waitlist " + prefix);
        quiet(app, client, failures);
        List<String> order = waitlist(app, client);
        if (order.size() != count || !order.containsAll(waiting)) {
            failures.add(prefix + ": GET /waitlist lists " + order.size() + " instead of the " + count + " waiting");
        }
        JsonNode monday = monday(app, client);
        int total = monday.path("total").asInt();
        if (monday.path("reserved").asInt() != total) {
            failures.add(prefix + ": Monday not full before the raise: " + monday);
        }
        Counts before = counts(app, client);
        record.put("loadavg_before", loadAverage());
        long cpuBefore = Proc.cpuTicks(app.pid());

        long begun = System.nanoTime();
        HttpResponse<String> put = client.send(HttpRequest.newBuilder(app.uri("/capacity/Monday"))
                .timeout(Duration.ofMinutes(5)).header("Authorization", BEARER).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"total\": " + (total + count) + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        awaitNoneRunning(app, client, prefix, failures);
        long done = System.nanoTime();

        List<String> promoted = new ArrayList<>();
        if (put.statusCode() != 200) {
            failures.add(prefix + ": PUT /capacity/Monday answered " + put.statusCode() + ": " + put.body());
        } else {
            JSON.readTree(put.body()).path("promoted").forEach(id -> promoted.add(id.asText()));
            if (!promoted.equals(order)) {
                failures.add(prefix + ": the PUT promoted " + promoted.size() + " not in the waitlist's order of " + order.size());
            }
        }
        checkAfter(app, client, prefix, before, count, 0, failures);
        double seconds = (done - begun) / 1e9;
        record.put("loadavg_after", loadAverage()).put("app_cpu_seconds", cpuSeconds(app, cpuBefore));
        record.put("promoted", promoted.size()).put("put_ms", Wrk.round((answered - begun) / 1e6, 1))
                .put("seconds_until_all_succeeded", Wrk.round(seconds, 3))
                .put("promotions_per_second", Wrk.round(count / seconds, 1));
        System.out.printf("    raise by %,d: PUT %.0f ms, all SUCCEEDED after %.2f s: %.0f promotions/s%n", count,
                (answered - begun) / 1e6, seconds, count / seconds);
        quiet(app, client, failures);
        return promoted;
    }

    /** Cancellations: a waitlist of as many as {@code confirmed}, then those cancelled at 8 threads, timed. */
    private static void cancellations(Settings settings, AppProcess app, HttpClient client, String prefix,
            List<String> confirmed, ObjectNode record, List<String> failures) throws Exception {
        int count = confirmed.size();
        register(app, client, prefix, count, "Monday", CLIENT_THREADS, 202, "RUNNING", record.putObject("joining"),
                failures, "waitlist " + prefix);
        quiet(app, client, failures);
        Counts before = counts(app, client);
        record.put("loadavg_before", loadAverage());
        long cpuBefore = Proc.cpuTicks(app.pid());
        long begun = System.nanoTime();
        ApprovalFigure.Run cancels = ApprovalFigure.load(count, CLIENT_THREADS,
                i -> HttpRequest.newBuilder(app.uri("/executions/" + confirmed.get(i) + "/cancel"))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", BEARER)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), client,
                (response, index) -> answered(response, confirmed.get(index), 200, "CANCELLED"));
        awaitNoneRunning(app, client, prefix, failures);
        // from just before load() starts its 8 threads (their creation takes well under a millisecond)
        double seconds = (System.nanoTime() - begun) / 1e9;
        if (cancels.unexpected() > 0) {
            failures.add(prefix + ": " + cancels.unexpected() + " of " + count + " cancellations unexpected "
                    + cancels.answers());
        }
        checkAfter(app, client, prefix, before, count, count, failures);
        record.put("loadavg_after", loadAverage()).put("app_cpu_seconds", cpuSeconds(app, cpuBefore));
        record.put("cancellations", count).put("cancel_seconds", Wrk.round(cancels.seconds(), 3))
                .put("cancels_per_second", Wrk.round(cancels.rps(), 1))
                .put("cancel_p50_ms", Wrk.round(cancels.p50Ms(), 3)).put("cancel_p99_ms", Wrk.round(cancels.p99Ms(), 3))
                .put("seconds_until_all_succeeded", Wrk.round(seconds, 3))
                .put("promotions_per_second", Wrk.round(count / seconds, 1));
        record.set("cancel_answers", JSON.valueToTree(cancels.answers()));
        System.out.printf("    %,d cancellations (%.0f/s): all promoted SUCCEEDED after %.2f s: %.0f promotions/s%n",
                count, cancels.rps(), seconds, count / seconds);
        quiet(app, client, failures);
    }

    /**
     * {@code count} registrations of children of their own for one day, at {@code threads}; each must be answered
     * {@code status} with the execution {@code executionStatus} (and, for 202, in Waitlisted). Their ids, in
     * submission order. The rate goes to {@code record} (when given); any other answer is a failure.
     */
    private static List<String> register(AppProcess app, HttpClient client, String prefix, int count, String day,
            int threads, int status, String executionStatus, ObjectNode record, List<String> failures, String label) {
        List<Long> numbers = new ArrayList<>(count);
        for (long n = 0; numbers.size() < count; n++) {
            if (Documents.kind(n) == Documents.Kind.SUCCESS) {
                numbers.add(n);
            }
        }
        String[] ids = new String[count];
        ApprovalFigure.Run run = ApprovalFigure.load(count, threads, i -> HttpRequest.newBuilder(app.uri("/registrations"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(forDay(prefix, numbers.get(i), day)))
                        .build(), client,
                (response, index) -> {
                    String problem = answered(response, null, status, executionStatus);
                    if (problem == null && status == 202
                            && !"Waitlisted".equals(JSON.readTree(response.body()).path("state").asText())) {
                        problem = "202-not-waitlisted";
                    }
                    if (problem == null) {
                        ids[index] = JSON.readTree(response.body()).path("executionId").asText();
                    }
                    return problem;
                });
        if (record != null) {
            record.put("registrations", count).put("threads", threads).put("seconds", Wrk.round(run.seconds(), 3))
                    .put("per_second", Wrk.round(run.rps(), 1)).put("p50_ms", Wrk.round(run.p50Ms(), 3))
                    .put("p99_ms", Wrk.round(run.p99Ms(), 3));
            record.set("answers", JSON.valueToTree(run.answers()));
        }
        if (run.unexpected() > 0) {
            failures.add(label + ": " + run.unexpected() + " of " + count + " registrations not answered " + status + " "
                    + executionStatus + " " + run.answers());
        }
        return Arrays.asList(ids);
    }

    /** The mix's complete document {@code n}, for this one day. */
    static String forDay(String prefix, long n, String day) {
        return Documents.document(prefix, n).replaceFirst("\"daysOfWeek\":\\[[^\\]]*\\]", "\"daysOfWeek\":[\"" + day + "\"]");
    }

    /** null when the answer has this status code and names this execution (any, when null) in that status. */
    private static String answered(HttpResponse<String> response, String id, int status, String executionStatus)
            throws IOException {
        if (response.statusCode() != status) {
            return Integer.toString(response.statusCode());
        }
        JsonNode answer = JSON.readTree(response.body());
        if (id != null && !id.equals(answer.path("executionId").asText())) {
            return status + "-other-execution";
        }
        String actual = answer.path("status").asText();
        return executionStatus.equals(actual) ? null : status + "-" + (actual.isEmpty() ? "no-status" : actual);
    }

    /** Polls GET /executions?status=RUNNING&limit=1 until it lists none (every 20 ms; gives up after GIVE_UP). */
    private static void awaitNoneRunning(AppProcess app, HttpClient client, String label, List<String> failures)
            throws Exception {
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        HttpRequest running = HttpRequest.newBuilder(app.uri("/executions?status=RUNNING&limit=1"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", BEARER).GET().build();
        while (System.nanoTime() - giveUp < 0) {
            HttpResponse<String> response = client.send(running, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                failures.add(label + ": GET /executions?status=RUNNING answered " + response.statusCode());
                return;
            }
            if (JSON.readTree(response.body()).path("executions").isEmpty()) {
                return;
            }
            AppProcess.sleep(20);
        }
        failures.add(label + ": executions still RUNNING after " + GIVE_UP);
    }

    /**
     * After a timed part: the executions counters moved by exactly {@code succeeded} and {@code cancelled} (no
     * failure), the waitlist is empty, and Monday is full (every promotion holds its spot, none over the total).
     */
    private static void checkAfter(AppProcess app, HttpClient client, String label, Counts before, int succeeded,
            int cancelled, List<String> failures) throws Exception {
        Counts after = counts(app, client);
        if (after.succeeded() - before.succeeded() != succeeded || after.cancelled() - before.cancelled() != cancelled
                || after.failed() != before.failed()) {
            failures.add(label + ": executions ended " + (after.succeeded() - before.succeeded()) + " SUCCEEDED, "
                    + (after.cancelled() - before.cancelled()) + " CANCELLED, " + (after.failed() - before.failed())
                    + " FAILED instead of " + succeeded + ", " + cancelled + ", 0");
        }
        List<String> left = waitlist(app, client);
        if (!left.isEmpty()) {
            failures.add(label + ": " + left.size() + " still on the waitlist");
        }
        JsonNode monday = monday(app, client);
        if (monday.path("reserved").asInt() != monday.path("total").asInt()) {
            failures.add(label + ": Monday's reserved spots are not its total: " + monday);
        }
    }

    /** The whole waitlist in order, through GET /waitlist pages of 200. */
    private static List<String> waitlist(AppProcess app, HttpClient client) throws Exception {
        List<String> ids = new ArrayList<>();
        while (true) {
            JsonNode page = admin(app, client, "/waitlist?limit=200&offset=" + ids.size());
            JsonNode entries = page.path("waitlist");
            entries.forEach(entry -> ids.add(entry.path("executionId").asText()));
            if (entries.isEmpty() || ids.size() >= page.path("length").asInt()) {
                return ids;
            }
        }
    }

    private static JsonNode monday(AppProcess app, HttpClient client) throws Exception {
        for (JsonNode day : admin(app, client, "/capacity").path("days")) {
            if (day.path("day").asText().equals("Monday")) {
                return day;
            }
        }
        throw new IllegalStateException("GET /capacity lists no Monday");
    }

    private static JsonNode admin(AppProcess app, HttpClient client, String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", BEARER).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The machine's load averages (1, 5, 15 min) now: the machine is shared, and this says how busy it was. */
    private static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** CPU seconds the application used since {@code ticksBefore} (user and system, 100 ticks a second). */
    private static double cpuSeconds(AppProcess app, long ticksBefore) {
        return Wrk.round((Proc.cpuTicks(app.pid()) - ticksBefore) / 100.0, 2);
    }

    /** Waits until the outbox is drained (daycare_notifications_pending 0), then until the JVM is idle. */
    private static void quiet(AppProcess app, HttpClient client, List<String> failures) throws Exception {
        long giveUp = System.nanoTime() + DRAIN.toNanos();
        while (metric(scrape(app, client), "daycare_notifications_pending") > 0) {
            if (System.nanoTime() - giveUp > 0) {
                failures.add("the outbox was not drained within " + DRAIN);
                return;
            }
            AppProcess.sleep(200);
        }
        app.awaitIdle(Duration.ofSeconds(30));
    }

    private static Counts counts(AppProcess app, HttpClient client) throws Exception {
        String text = scrape(app, client);
        return new Counts(metric(text, "daycare_executions_total", "status=\"SUCCEEDED\""),
                metric(text, "daycare_executions_total", "status=\"CANCELLED\""),
                metric(text, "daycare_executions_total", "status=\"FAILED\""));
    }

    private static String scrape(AppProcess app, HttpClient client) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(app.uri("/observe/metrics"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /observe/metrics answered " + response.statusCode());
        }
        return response.body();
    }

    /** The sum of a Prometheus metric's samples whose labels contain every one given ({@code key="value"}). */
    static double metric(String scrape, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            String labelPart = line.startsWith(name + "{") ? line.substring(name.length(), line.lastIndexOf('}') + 1) : "";
            if (Arrays.stream(labels).allMatch(labelPart::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no sample of " + name + " " + Arrays.toString(labels) + " in /observe/metrics");
        }
        return sum;
    }
}
