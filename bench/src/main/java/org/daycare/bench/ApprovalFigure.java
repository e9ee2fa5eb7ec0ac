package org.daycare.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Figure 7, the approval path. One application JVM with {@code daycare.approval.required=always} (and the suite's
 * capacity, so that no hold is refused). In each round and at each client concurrency (8 and 32) it builds a backlog
 * of N waiting executions (POST /registrations of N distinct children, each answered 202 RUNNING "Await Approval";
 * not timed), then, on those same N ids, the floor: GET /executions/{id} with the admin token (a read of the
 * execution the decision is about), then the figure: POST /executions/{id}/approve with the admin token until the
 * backlog is drained. Rate = N / the wall time from the threads' common start to the last answer; p50/p99 over the
 * N requests of the run. The ratio approvals/s / reads/s says what a decision (resume-execution, Confirm
 * Registration, the hold turned into the registration, one commit, its notification queued) costs over a read.
 *
 * <p>The client is the JDK's HttpClient over HTTP/1.1, one thread per connection, each taking the next id until none
 * is left (wrk runs for a time, not for a count, and would run past the backlog into 409s). Every answer is checked:
 * the read must be 200 with the execution RUNNING, the approval 200 with the execution SUCCEEDED; anything else (and
 * any socket error) is counted by status and fails the figure (the figures are still written; the run exits 1).
 * GET /approvals must list waiting executions before each drain, and none after it.
 */
final class ApprovalFigure {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BEARER = "Bearer " + Settings.ADMIN_TOKEN;
    /** The concurrency the backlog is submitted with; building it is not measured. */
    private static final int BACKLOG_THREADS = 8;
    /**
     * The longest wait for the JVM to be idle before a measured run, whatever the mode: each backlog leaves N
     * approval-request notifications in the outbox, and their drain would otherwise run during the floor.
     */
    private static final Duration IDLE = Duration.ofSeconds(30);

    private ApprovalFigure() {
    }

    /** One load of N requests at a fixed concurrency: its rate, latencies, and every answer counted. */
    record Run(int requests, int threads, double seconds, double rps, double p50Ms, double p90Ms, double p99Ms,
            double maxMs, Map<String, Long> answers, long expected) {

        long unexpected() {
            return requests - expected;
        }

        ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode().put("requests", requests).put("threads", threads)
                    .put("seconds", Wrk.round(seconds, 3)).put("rps", Wrk.round(rps, 1))
                    .put("p50_ms", Wrk.round(p50Ms, 3)).put("p90_ms", Wrk.round(p90Ms, 3))
                    .put("p99_ms", Wrk.round(p99Ms, 3)).put("max_ms", Wrk.round(maxMs, 3))
                    .put("expected_answers", expected).put("unexpected_answers_or_errors", unexpected());
            ObjectNode codes = node.putObject("answers");
            answers.forEach(codes::put);
            return node;
        }
    }

    /** What a response's check says: the answer is the expected one, else a label to count it under. */
    interface Check {
        String problem(HttpResponse<String> response, int index) throws IOException;
    }

    static void run(Settings settings, Report report) throws Exception {
        Path data = settings.work.resolve("approval/data");
        FileDropFigure.deleteTree(data);
        ObjectNode figure = report.figure("7_approval");
        figure.put("database", "embedded H2 file (the default), data under " + settings.root.relativize(data));
        figure.put("jvm_flags", String.join(" ", Settings.APP_JVM_FLAGS));
        figure.put("approval_required", "always");
        figure.put("backlog_per_run", settings.approvalBacklog);
        figure.put("rounds", settings.approvalRounds);
        figure.put("client", "java.net.http.HttpClient, HTTP/1.1, one thread per connection, each taking the next id");
        if (settings.quick) {
            figure.put("quick", "a backlog of " + settings.approvalBacklog + " instead of 2,000, one round, smaller warm-up");
        }
        Map<Integer, List<Run>> approvals = new LinkedHashMap<>();
        Map<Integer, List<Run>> reads = new LinkedHashMap<>();
        ArrayNode backlogs = figure.putArray("backlogs");
        List<String> failures = new ArrayList<>();
        HttpClient client = AppProcess.HTTP;
        try (AppProcess app = AppProcess.application(settings, "approval", data,
                Map.of("daycare.approval.required", "always"))) {
            app.awaitHealthy();
            // warm-up: the submission, the read and the decision through the JIT before anything counts
            List<String> warm = backlog(app, client, "aw" + settings.nonce, settings.approvalWarmup,
                    backlogs.addObject().put("warm_up", true));
            app.awaitIdle(IDLE);
            check("warm-up read", reads(app, client, warm, 32), failures);
            checkQueue(app, client, "warm-up", false, failures);
            check("warm-up approval", approve(app, client, warm, 32), failures);
            checkQueue(app, client, "warm-up", true, failures);
            for (int round = 1; round <= settings.approvalRounds; round++) {
                for (int threads : settings.approvalConcurrency) {
                    String label = "round " + round + " @" + threads;
                    List<String> ids = backlog(app, client, "a" + settings.nonce + "r" + round + "c" + threads,
                            settings.approvalBacklog, backlogs.addObject().put("round", round).put("threads", threads));
                    app.awaitIdle(IDLE);
                    Run read = reads(app, client, ids, threads);
                    check(label + " read", read, failures);
                    reads.computeIfAbsent(threads, t -> new ArrayList<>()).add(read);
                    checkQueue(app, client, label, false, failures);
                    app.awaitIdle(IDLE);
                    Run approve = approve(app, client, ids, threads);
                    check(label + " approval", approve, failures);
                    approvals.computeIfAbsent(threads, t -> new ArrayList<>()).add(approve);
                    checkQueue(app, client, label, true, failures);
                    app.awaitIdle(IDLE);
                }
            }
        }
        summarize(settings, report, figure, approvals, reads);
        ArrayNode failed = figure.putArray("failures");
        failures.forEach(failed::add);
        failures.forEach(f -> report.fail("figure 7: " + f));
    }

    /**
     * N waiting executions: POST /registrations of N children of their own (the prefix and a counter in the first
     * name, the mix's complete document), each of which must be answered 202 RUNNING in Await Approval. Their ids,
     * in submission order. A backlog that cannot be built is a broken run, not a figure: it throws.
     */
    private static List<String> backlog(AppProcess app, HttpClient client, String prefix, int count,
            ObjectNode record) {
        // only the complete documents of the mix (8 in 10): the other two fail validation and never wait
        List<Long> numbers = new ArrayList<>(count);
        for (long n = 0; numbers.size() < count; n++) {
            if (Documents.kind(n) == Documents.Kind.SUCCESS) {
                numbers.add(n);
            }
        }
        String[] ids = new String[count];
        Run run = load(count, BACKLOG_THREADS, i -> HttpRequest.newBuilder(app.uri("/registrations"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Documents.document(prefix, numbers.get(i))))
                        .build(), client,
                (response, index) -> {
                    if (response.statusCode() != 202) {
                        return Integer.toString(response.statusCode());
                    }
                    JsonNode answer = JSON.readTree(response.body());
                    if (!"RUNNING".equals(answer.path("status").asText())
                            || !"Await Approval".equals(answer.path("state").asText())) {
                        return "202-not-awaiting-approval";
                    }
                    ids[index] = answer.path("executionId").asText();
                    return null;
                });
        record.put("registrations", count).put("seconds", Wrk.round(run.seconds(), 3))
                .put("registrations_per_second", Wrk.round(run.rps(), 1));
        if (run.unexpected() > 0) {
            throw new IllegalStateException("the backlog " + prefix + " could not be built: " + run.unexpected() + " of "
                    + count + " registrations were not answered 202 Await Approval " + run.answers() + "; log " + app.log());
        }
        return Arrays.asList(ids);
    }

    /** The floor: GET /executions/{id} of each waiting execution; 200 with the execution RUNNING. */
    private static Run reads(AppProcess app, HttpClient client, List<String> ids, int threads) {
        return load(ids.size(), threads, i -> HttpRequest.newBuilder(app.uri("/executions/" + ids.get(i)))
                .timeout(Duration.ofSeconds(30)).header("Authorization", BEARER).GET().build(), client,
                (response, index) -> answered(response, ids.get(index), "RUNNING"));
    }

    /** The figure: POST /executions/{id}/approve of each waiting execution; 200 with the execution SUCCEEDED. */
    private static Run approve(AppProcess app, HttpClient client, List<String> ids, int threads) {
        return load(ids.size(), threads, i -> HttpRequest.newBuilder(app.uri("/executions/" + ids.get(i) + "/approve"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", BEARER)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), client,
                (response, index) -> answered(response, ids.get(index), "SUCCEEDED"));
    }

    /** null when the answer is 200 and names this execution in the wanted status, else what to count it under. */
    private static String answered(HttpResponse<String> response, String id, String status) throws IOException {
        if (response.statusCode() != 200) {
            return Integer.toString(response.statusCode());
        }
        JsonNode answer = JSON.readTree(response.body());
        if (!id.equals(answer.path("executionId").asText())) {
            return "200-other-execution";
        }
        String actual = answer.path("status").asText();
        return status.equals(actual) ? null : "200-" + (actual.isEmpty() ? "no-status" : actual);
    }

    /**
     * Sends requests 0..count-1 from {@code threads} threads, released together, each taking the next index until
     * none is left; times each request and the whole. Every answer is counted under its status code ("200" only
     * when the check passed, else the check's label) and every exception under its class: nothing is dropped.
     */
    static Run load(int count, int threads, Function<Integer, HttpRequest> request, HttpClient client,
            Check check) {
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        LongAdder expected = new LongAdder();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                await(start);
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    HttpRequest req = request.apply(i);
                    long begun = System.nanoTime();
                    String label;
                    try {
                        HttpResponse<String> response = client.send(req, HttpResponse.BodyHandlers.ofString());
                        nanos[i] = System.nanoTime() - begun;
                        String problem = check.problem(response, i);
                        label = problem == null ? Integer.toString(response.statusCode()) : problem;
                        if (problem == null) {
                            expected.increment();
                        }
                    } catch (IOException e) {
                        nanos[i] = System.nanoTime() - begun;
                        label = "error-" + e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    answers.computeIfAbsent(label, l -> new LongAdder()).increment();
                }
            }, "bench-client-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        await(start);
        long begun = System.nanoTime();
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        double seconds = (System.nanoTime() - begun) / 1e9;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        Map<String, Long> counted = new TreeMap<>();
        answers.forEach((label, n) -> counted.put(label, n.sum()));
        return new Run(count, threads, seconds, count / seconds, percentileMs(sorted, 0.50), percentileMs(sorted, 0.90),
                percentileMs(sorted, 0.99), sorted[count - 1] / 1e6, counted, expected.sum());
    }

    /** The nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    private static double percentileMs(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException("the client threads were not released together", e);
        }
    }

    private static void check(String label, Run run, List<String> failures) {
        if (run.unexpected() > 0) {
            failures.add(label + ": " + run.unexpected() + " of " + run.requests() + " answers unexpected " + run.answers());
        }
    }

    /**
     * GET /approvals lists some waiting executions (before a drain) or none (after it); {@code empty} says which.
     * Checked both ways, so that the check after a drain is known to read the queue it says is empty.
     */
    private static void checkQueue(AppProcess app, HttpClient client, String label, boolean empty,
            List<String> failures) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(app.uri("/approvals"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", BEARER).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            failures.add(label + ": GET /approvals answered " + response.statusCode());
            return;
        }
        JsonNode queue = JSON.readTree(response.body()).path("approvals");
        if (!queue.isArray()) {
            failures.add(label + ": GET /approvals answered no list of approvals");
        } else if (empty && queue.size() != 0) {
            failures.add(label + ": " + queue.size() + " executions still await approval after the drain");
        } else if (!empty && queue.size() == 0) {
            failures.add(label + ": GET /approvals lists nothing before the drain");
        }
    }

    private static void summarize(Settings settings, Report report, ObjectNode figure, Map<Integer, List<Run>> approvals,
            Map<Integer, List<Run>> reads) {
        ArrayNode levels = figure.putArray("threads");
        for (int threads : settings.approvalConcurrency) {
            List<Run> app = approvals.getOrDefault(threads, List.of());
            List<Run> flo = reads.getOrDefault(threads, List.of());
            double rps = Stats.median(app.stream().map(Run::rps).toList());
            double readRps = Stats.median(flo.stream().map(Run::rps).toList());
            double p50 = Stats.median(app.stream().map(Run::p50Ms).toList());
            double p99 = Stats.median(app.stream().map(Run::p99Ms).toList());
            double max = Stats.median(app.stream().map(Run::maxMs).toList());
            double readP50 = Stats.median(flo.stream().map(Run::p50Ms).toList());
            double readP99 = Stats.median(flo.stream().map(Run::p99Ms).toList());
            long succeeded = app.stream().mapToLong(Run::expected).sum();
            long unexpected = app.stream().mapToLong(Run::unexpected).sum();
            long readUnexpected = flo.stream().mapToLong(Run::unexpected).sum();
            ObjectNode level = levels.addObject().put("threads", threads)
                    .put("approvals_rps_median", rps).put("reads_rps_median", readRps)
                    .put("ratio", Stats.ratio(rps, readRps))
                    .put("approvals_p50_ms_median", p50).put("approvals_p99_ms_median", p99)
                    .put("approvals_max_ms_median", max)
                    .put("reads_p50_ms_median", readP50).put("reads_p99_ms_median", readP99)
                    .put("answered_200_succeeded", succeeded).put("unexpected_answers_or_errors", unexpected)
                    .put("reads_unexpected", readUnexpected);
            ArrayNode rounds = level.putArray("approval_rounds");
            app.forEach(r -> rounds.add(r.toJson()));
            ArrayNode readRounds = level.putArray("read_rounds");
            flo.forEach(r -> readRounds.add(r.toJson()));
            String note = String.format("%,d waiting x %d round(s); 200 SUCCEEDED %d%s", settings.approvalBacklog,
                    app.size(), succeeded, unexpected > 0 ? ", UNEXPECTED " + unexpected : "");
            report.row("7", "POST /executions/{id}/approve req/s @" + threads, rps, "req/s", "GET /executions/{id}",
                    readRps, note);
            report.row("7", "  p50 / p99 / max @" + threads, p99, "ms p99",
                    String.format("p50 %s ms, max %s ms; GET p50 %s, p99 %s ms", Report.format(p50),
                            Report.format(max), Report.format(readP50), Report.format(readP99)));
        }
    }
}
