package org.daycare.registration.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.registration.support.Registrations;
import org.daycare.registration.support.RunningApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Hostile input through both intakes. Every document of the corpus in {@code src/test/resources/hostile} (its
 * README.md is the manifest: what each document probes and the answer it must get) is posted to /registrations
 * and dropped into the inbox, and a set of hostile file names is dropped too. Over HTTP: the expected status,
 * never a 5xx, a JSON body that says what is wrong and holds no stack trace, no header but Content-Type and
 * Content-Length. Through the file drop: exactly one result document per file, the original kept byte for byte
 * in archive/ or failed/, nothing written anywhere but the outbox. Afterwards the application is still healthy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORPUS = "/hostile/";
    /** The whole file drop (about 250 files, one of 10 MB) must be through by then. */
    private static final Duration FILE_DROP_TIME_LIMIT = Duration.ofSeconds(22);
    private static final String TIMESTAMP_SUFFIX = "\\.\\d{8}-\\d{6}-\\d{3}-[A-Za-z0-9-]+\\.json";
    private static final List<String> STACK_TRACE_MARKERS =
            List.of("Exception", "\tat ", "java.lang.", "org.apache.camel.", "org.daycare.", "com.fasterxml.");
    private static final int TEN_MEGABYTES = 10 * 1024 * 1024;

    @TempDir
    static Path root;
    static Path dataDir;
    static Path inbox;
    static Path outbox;
    static Path staging;
    static RunningApplication app;
    static HttpClient http;
    static List<Case> documents;
    static List<Drop> drops;
    static Instant fileDropDeadline;
    static Duration validDropAnsweredAfter;
    /** The HTTP answer to each document, which the file drop of the same content must repeat. */
    static final Map<String, JsonNode> httpAnswers = new java.util.concurrent.ConcurrentHashMap<>();

    static final AtomicInteger httpInputs = new AtomicInteger();
    static final AtomicInteger httpServerErrors = new AtomicInteger();
    static final AtomicInteger fileInternalErrors = new AtomicInteger();
    /** Dropped files that no result document of their own answered (none at all, or only one written for another). */
    static final Set<String> unanswered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startAndDropEveryFile() throws IOException {
        // The data directory sits two levels below the temporary root, so that a result escaping the outbox by
        // one or two ".." lands inside the tree that is scanned afterwards.
        dataDir = Files.createDirectories(root.resolve("app").resolve("data"));
        staging = Files.createDirectories(root.resolve("staging"));
        inbox = Files.createDirectories(dataDir.resolve("inbox"));
        outbox = dataDir.resolve("outbox");
        Manifest manifest = Manifest.read();
        documents = manifest.documents();
        drops = new ArrayList<>(manifest.drops());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        // Everything is in the inbox before the application starts, so that the consumer's first poll takes every
        // file in one batch (and works through it while the HTTP cases run): whatever a hostile file does to later
        // polls, the others are answered in that first one.
        for (Drop drop : drops) {
            drop(drop);
        }
        app = RunningApplication.start(dataDir, Map.of("daycare.capacity.per-day", "100000",
                // a file stuck in the consumer must not hold the test up at the end
                "camel.main.shutdown-timeout", "5"));
        fileDropDeadline = Instant.now().plus(FILE_DROP_TIME_LIMIT);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> everyDocumentOverHttpGetsAnAnswerThatSaysWhatIsWrong() {
        return documents.stream().map(document -> DynamicTest.dynamicTest("HTTP " + document.name(), () -> overHttp(document)));
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> everyDroppedFileGetsExactlyOneResultAndIsKept() {
        // hidden files last: that they were left alone can only be seen once the consumer is through the rest
        return drops.stream()
                .sorted((a, b) -> Boolean.compare(a.expected().ignored(), b.expected().ignored()))
                .map(drop -> DynamicTest.dynamicTest("file " + printable(drop.fileName()), () -> throughTheFileDrop(drop)));
    }

    @Test
    @Order(3)
    void theApplicationIsStillHealthyAfterwards() throws Exception {
        HttpResponse<String> health = app.send(HttpRequest.newBuilder(app.uri("/observe/health")).GET());
        if (health.statusCode() != 200 || !health.body().contains("UP")) {
            failure("afterwards: GET /observe/health answered " + health.statusCode() + " " + abbreviate(health.body()));
        }
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");

        HttpResponse<String> registered = app.postRegistration(Registrations.successCaseForAnotherChild());
        if (registered.statusCode() != 201) {
            failure("afterwards: a valid registration over HTTP answered " + registered.statusCode() + " " + abbreviate(registered.body()));
        }
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);

        Drop afterwards = new Drop("after-the-hostile-inputs.json", Registrations.successCaseForAnotherChild()
                .getBytes(StandardCharsets.UTF_8), Expected.parse("2xx SUCCEEDED"), "", "(valid)");
        drops.add(afterwards);
        long started = System.nanoTime();
        drop(afterwards);
        Path result = outbox.resolve(afterwards.baseName() + ".result.json");
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(result) && !Files.exists(inbox.resolve(afterwards.fileName())));
        } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
            failure("afterwards: a valid dropped file got no result in 30 s");
            throw timedOut;
        }
        validDropAnsweredAfter = Duration.ofNanos(System.nanoTime() - started);
        String status = JSON.readTree(result.toFile()).path("status").asText();
        if (!status.equals("SUCCEEDED")) {
            failure("afterwards: a valid dropped file ended " + status);
        }
        assertThat(status).isEqualTo("SUCCEEDED");
    }

    /** Normally a dropped file is answered in a few hundred milliseconds (min-age 100 ms, polls every 100 ms). */
    @Test
    @Order(4)
    void aValidDropIsStillAnsweredPromptly() {
        if (validDropAnsweredAfter == null || validDropAnsweredAfter.compareTo(Duration.ofSeconds(5)) >= 0) {
            failure("afterwards: a valid dropped file was answered after " + validDropAnsweredAfter + ", not within 5 s");
        }
        assertThat(validDropAnsweredAfter).as("time to answer a valid file dropped after the hostile ones")
                .isNotNull().isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @Order(5)
    void noFileIsLostAndNothingIsWrittenOutsideTheOutbox() throws IOException {
        List<String> problems = new ArrayList<>();
        problems.addAll(lostFiles().stream().map(lost -> "lost: " + lost).toList());

        // Every result document is one the drops asked for: none under a name of its own making.
        Set<String> expectedResults = drops.stream().filter(d -> !d.expected().ignored())
                .map(d -> d.baseName() + ".result.json").collect(Collectors.toCollection(TreeSet::new));
        for (Path file : list(outbox)) {
            String name = file.getFileName().toString();
            if (!expectedResults.contains(name)) {
                problems.add("outbox holds a file no drop asked for: " + printable(name));
            }
        }
        // Hidden drops stay in the inbox; nothing else may be there.
        Set<String> ignored = drops.stream().filter(d -> d.expected().ignored()).map(Drop::fileName).collect(Collectors.toSet());
        for (Path file : list(inbox)) {
            if (!ignored.contains(file.getFileName().toString())) {
                problems.add("still in the inbox: " + printable(file.getFileName().toString()));
            }
        }
        problems.addAll(unexpectedFilesInTheTree());
        failures.addAll(problems.stream().map(p -> "tree: " + p).toList());
        assertThat(problems).as("files lost or written outside the outbox").isEmpty();
    }

    @Test
    @Order(6)
    void report() throws IOException {
        int lost = lostFiles().size();
        int inputs = httpInputs.get() + drops.size();
        int serverErrors = httpServerErrors.get() + fileInternalErrors.get();
        System.out.printf("HOSTILE INPUT REPORT: %d inputs tried (%d over HTTP, %d dropped files), %d 5xx answers "
                        + "(%d over HTTP, %d InternalError results by file), %d files lost, %d dropped files without a "
                        + "result of their own, %d failed checks%n",
                inputs, httpInputs.get(), drops.size(), serverErrors, httpServerErrors.get(), fileInternalErrors.get(),
                lost, unanswered.size(), failures.size());
        synchronized (failures) {
            failures.forEach(failure -> System.out.println("  FAILED " + failure));
        }
        assertThat(serverErrors).as("5xx answers").isZero();
        assertThat(lost).as("files lost").isZero();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------------

    private static void overHttp(Case document) {
        httpInputs.incrementAndGet();
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri("/registrations"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Hostile-Probe", "probe-" + document.name().hashCode())
                .POST(document.content().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(document.content()));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // a reset, a closed connection or a timeout: the client was told nothing, which is a failure
            failure("HTTP " + document.name() + ": no answer (" + e + ")");
            throw new AssertionError("no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() >= 500) {
            httpServerErrors.incrementAndGet();
        }
        String body = decode(response.body());
        List<String> problems = new ArrayList<>();
        Expected expected = document.expected();
        if (!expected.statusMatches(response.statusCode())) {
            problems.add("status " + response.statusCode() + ", expected " + expected);
        }
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.equals("content-type") && !lower.equals("content-length")) {
                problems.add("response header " + name + ": " + values);
            }
        });
        if (!response.headers().firstValue("Content-Type").orElse("").equals("application/json")) {
            problems.add("Content-Type " + response.headers().firstValue("Content-Type").orElse("(none)"));
        }
        if (body == null) {
            problems.add("the body is not valid UTF-8");
        } else {
            problems.addAll(resultProblems(body, expected, document.says(), true));
            JsonNode answer = parseObject(body);
            if (answer != null) {
                httpAnswers.put(document.name(), answer);
            }
        }
        if (!problems.isEmpty()) {
            failure("HTTP " + document.name() + ": " + String.join("; ", problems) + " | body: " + abbreviate(body));
            fail(String.join("\n", problems) + "\nbody: " + abbreviate(body));
        }
    }

    // ---- file drop ------------------------------------------------------------------------------------------------------

    private static void drop(Drop drop) throws IOException {
        // Write beside the inbox, then move in: how a well-behaved producer drops a file.
        Path staged = Files.write(Files.createTempFile(staging, "drop-", ".staging"), drop.content());
        Files.move(staged, inbox.resolve(drop.fileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void throughTheFileDrop(Drop drop) throws IOException {
        String name = "file " + printable(drop.fileName());
        Path original = inbox.resolve(drop.fileName());
        Path result = outbox.resolve(drop.baseName() + ".result.json");
        if (drop.expected().ignored()) {
            awaitUntilDeadline(() -> drops.stream().filter(d -> !d.expected().ignored())
                    .noneMatch(d -> Files.exists(inbox.resolve(d.fileName()))));
            List<String> problems = new ArrayList<>();
            if (!Files.exists(original) || !Arrays.equals(Files.readAllBytes(original), drop.content())) {
                problems.add("a file the consumer ignores must stay in the inbox untouched");
            }
            if (Files.exists(result)) {
                problems.add("an ignored file got a result document");
            }
            report(name, problems, null);
            return;
        }
        boolean done = awaitUntilDeadline(() -> Files.exists(result) && !Files.exists(original));
        List<String> problems = new ArrayList<>();
        String body = null;
        if (!Files.exists(result)) {
            unanswered.add(drop.fileName());
            problems.add("no result document " + printable(result.getFileName().toString()) + " after "
                    + FILE_DROP_TIME_LIMIT.toSeconds() + " s");
        } else {
            body = decode(Files.readAllBytes(result));
            if (body == null) {
                problems.add("the result document is not valid UTF-8");
            } else {
                JsonNode parsed = parseObject(body);
                if (parsed != null && "InternalError".equals(parsed.path("error").asText())) {
                    fileInternalErrors.incrementAndGet();
                }
                problems.addAll(resultProblems(body, drop.expected(), drop.says(), false));
                problems.addAll(differencesFromHttp(parsed, httpAnswers.get(drop.origin())));
            }
        }
        if (!done && Files.exists(original)) {
            problems.add("the original never left the inbox");
        }
        String keptIn = drop.expected().archived() ? "archive" : "failed";
        String otherFolder = drop.expected().archived() ? "failed" : "archive";
        List<Path> kept = keptCopies(keptIn, drop.baseName());
        if (kept.size() != 1) {
            problems.add("expected exactly one original in " + keptIn + "/ named " + printable(drop.baseName())
                    + ".<timestamp>.json, found " + kept.size());
        } else if (!Arrays.equals(Files.readAllBytes(kept.get(0)), drop.content())) {
            problems.add("the original kept in " + keptIn + "/ differs from the file dropped");
        }
        if (!keptCopies(otherFolder, drop.baseName()).isEmpty()) {
            problems.add("an original went to " + otherFolder + "/ too");
        }
        report(name, problems, body);
    }

    /**
     * The same content gets the same answer through both intakes: the same confirmation (execution and output) for
     * a valid registration, which the second intake finds already confirmed, or the same error, cause and problems.
     */
    private static List<String> differencesFromHttp(JsonNode fromFile, JsonNode fromHttp) {
        if (fromFile == null || fromHttp == null) {
            return List.of();
        }
        List<String> fields = "SUCCEEDED".equals(fromHttp.path("status").asText())
                ? List.of("status", "executionId", "output")
                : List.of("status", "error", "cause", "problems");
        List<String> differences = new ArrayList<>();
        for (String field : fields) {
            if (!fromFile.path(field).equals(fromHttp.path(field))) {
                differences.add("its " + field + " differs from the HTTP answer to the same content: "
                        + abbreviate(fromFile.path(field).toString()) + " by file, " + abbreviate(fromHttp.path(field).toString()) + " over HTTP");
            }
        }
        return differences;
    }

    private static List<Path> keptCopies(String folder, String baseName) throws IOException {
        Pattern timestamped = Pattern.compile(Pattern.quote(baseName) + TIMESTAMP_SUFFIX);
        return list(dataDir.resolve(folder)).stream()
                .filter(file -> timestamped.matcher(file.getFileName().toString()).matches())
                .toList();
    }

    private static boolean awaitUntilDeadline(java.util.concurrent.Callable<Boolean> condition) {
        try {
            Duration left = Duration.between(Instant.now(), fileDropDeadline);
            await().pollInterval(Duration.ofMillis(50))
                    .atMost(left.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : left)
                    .until(condition);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
            return false;
        }
    }

    private static void report(String name, List<String> problems, String body) {
        if (!problems.isEmpty()) {
            failure(name + ": " + String.join("; ", problems) + (body == null ? "" : " | result: " + abbreviate(body)));
            fail(String.join("\n", problems) + (body == null ? "" : "\nresult: " + abbreviate(body)));
        }
    }

    /**
     * Every dropped file's content must still be somewhere the drop keeps it (archive, failed, or the inbox for the
     * ignored ones), as many times as it was dropped: counted by content, so a file overwritten by another is found.
     */
    private static List<String> lostFiles() throws IOException {
        Map<String, Integer> kept = new HashMap<>();
        for (String folder : List.of("inbox", "archive", "failed")) {
            for (Path file : list(dataDir.resolve(folder))) {
                kept.merge(sha256(Files.readAllBytes(file)), 1, Integer::sum);
            }
        }
        List<String> lost = new ArrayList<>();
        for (Drop drop : drops) {
            String hash = sha256(drop.content());
            if (kept.getOrDefault(hash, 0) > 0) {
                kept.merge(hash, -1, Integer::sum);
            } else {
                lost.add(printable(drop.fileName()));
            }
        }
        return lost;
    }

    /** Walks the whole temporary tree: every file must be where the application or this test puts files. */
    private static List<String> unexpectedFilesInTheTree() throws IOException {
        Set<Path> directories = Set.of(root, root.resolve("app"), dataDir, staging, inbox, outbox,
                dataDir.resolve("archive"), dataDir.resolve("failed"), dataDir.resolve("db"), dataDir.resolve("notifications"));
        List<String> unexpected = new ArrayList<>();
        try (Stream<Path> tree = Files.walk(root)) {
            tree.forEach(path -> {
                Path parent = path.getParent();
                String name = path.getFileName() == null ? "" : path.getFileName().toString();
                boolean expected;
                if (Files.isDirectory(path)) {
                    expected = directories.contains(path) || path.startsWith(dataDir.resolve("db"));
                } else if (parent.equals(outbox)) {
                    expected = name.endsWith(".result.json") && !name.startsWith(".writing-");
                } else if (parent.equals(inbox) || parent.equals(dataDir.resolve("archive")) || parent.equals(dataDir.resolve("failed"))) {
                    expected = name.endsWith(".json");
                } else if (parent.equals(dataDir.resolve("notifications"))) {
                    expected = name.equals("outcomes.jsonl");
                } else if (parent.equals(dataDir)) {
                    // the status links' key, generated once (the admin token is configured here)
                    expected = name.equals("status-token-secret");
                } else {
                    expected = path.startsWith(dataDir.resolve("db"));
                }
                if (!expected) {
                    unexpected.add("unexpected " + (Files.isDirectory(path) ? "directory " : "file ") + printable(root.relativize(path).toString()));
                }
            });
        }
        return unexpected;
    }

    // ---- checking one answer -------------------------------------------------------------------------------------------

    /** What is wrong with a result document (an HTTP body or a NAME.result.json) for the expected answer. */
    private static List<String> resultProblems(String body, Expected expected, String says, boolean overHttp) {
        List<String> problems = new ArrayList<>();
        for (String marker : STACK_TRACE_MARKERS) {
            if (body.contains(marker)) {
                problems.add("looks like a stack trace or internal name: contains \"" + marker.replace("\t", "\\t") + "\"");
            }
        }
        JsonNode result = parseObject(body);
        if (result == null) {
            problems.add("not a JSON object");
            return problems;
        }
        if (expected.succeeds()) {
            if (!"SUCCEEDED".equals(result.path("status").asText())) {
                problems.add("status " + result.path("status").asText() + " " + result.path("error").asText() + ", expected SUCCEEDED");
            }
            if (result.path("executionId").asText().isBlank()) {
                problems.add("no executionId");
            }
            if (!says.isEmpty() && !mentions(result.path("output"), says)) {
                problems.add("output does not contain " + says);
            }
            return problems;
        }
        if (!expected.error().equals(result.path("error").asText())) {
            problems.add("error " + result.path("error").asText() + ", expected " + expected.error());
        }
        if (result.path("cause").asText().isBlank()) {
            problems.add("no cause");
        }
        if (!says.isEmpty() && !explains(result, says)) {
            problems.add("neither cause nor problems say \"" + says + "\"");
        }
        boolean rejected = expected.status() == 400 || expected.status() == 413;
        if (rejected && result.has("executionId")) {
            problems.add("a refused body started an execution");
        }
        if (!rejected && expected.error().equals("InformationIncomplete") && !result.path("problems").isArray()) {
            problems.add("no problems listed");
        }
        return problems;
    }

    private static boolean explains(JsonNode result, String says) {
        if (result.path("cause").asText().contains(says)) {
            return true;
        }
        for (JsonNode problem : result.path("problems")) {
            if (problem.asText().contains(says)) {
                return true;
            }
        }
        return false;
    }

    /** The output mentions the text: in its compact JSON form, or as (part of) one of its string values. */
    private static boolean mentions(JsonNode output, String says) {
        if (output.toString().contains(says)) {
            return true;
        }
        if (output.isTextual()) {
            return output.textValue().contains(says);
        }
        for (JsonNode child : output) {
            if (mentions(child, says)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode parseObject(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    // ---- the manifest ------------------------------------------------------------------------------------------------

    /** One answer the manifest expects: a status (0 for any 2xx) and an error name, or "ignored" for a file name. */
    record Expected(int status, String error, boolean ignored) {

        static Expected parse(String cell) {
            String text = cell.strip();
            if (text.equals("ignored")) {
                return new Expected(0, null, true);
            }
            if (text.equals("2xx SUCCEEDED")) {
                return new Expected(0, null, false);
            }
            Matcher m = Pattern.compile("(4\\d\\d) (\\w+)").matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("unknown expected answer: " + cell);
            }
            return new Expected(Integer.parseInt(m.group(1)), m.group(2), false);
        }

        boolean succeeds() {
            return status == 0 && !ignored;
        }

        /** Where a dropped original goes: archive/ when an execution ended, failed/ when the body was refused. */
        boolean archived() {
            return succeeds() || status == 422;
        }

        boolean statusMatches(int actual) {
            return succeeds() ? actual == 200 || actual == 201 : actual == status;
        }

        @Override
        public String toString() {
            return ignored ? "ignored" : succeeds() ? "2xx SUCCEEDED" : status + " " + error;
        }
    }

    record Case(String name, byte[] content, Expected expected, String says) {
    }

    record Drop(String fileName, byte[] content, Expected expected, String says, String origin) {

        /** The name the application answers and archives under: the drop's name before .json, at most 100 UTF-8 bytes. */
        String baseName() {
            return org.daycare.registration.intake.IntakeRoutesNames.shortened(fileName.substring(0, fileName.length() - ".json".length()));
        }
    }

    record Manifest(List<Case> documents, List<Drop> drops) {

        private static final Pattern DOCUMENT_ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]+?) \\| (?:`([^`]*)`)? ?\\| .*\\|$");
        private static final Pattern FILE_NAME_ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)` \\| ([^|]+?) \\| .*\\|$");

        static Manifest read() throws IOException {
            List<String> lines = Files.readAllLines(corpusFile("README.md"), StandardCharsets.UTF_8);
            Map<String, Case> documents = new LinkedHashMap<>();
            List<Drop> drops = new ArrayList<>();
            String section = "";
            for (String line : lines) {
                if (line.startsWith("## ")) {
                    section = line;
                    continue;
                }
                if (!line.startsWith("| `")) {
                    continue;
                }
                if (section.startsWith("## File names")) {
                    Matcher row = FILE_NAME_ROW.matcher(line);
                    if (!row.matches()) {
                        throw new IllegalStateException("unreadable manifest row: " + line);
                    }
                    Case content = documents.get(row.group(2));
                    if (content == null) {
                        throw new IllegalStateException("no document " + row.group(2) + " for " + line);
                    }
                    drops.add(new Drop(unescape(row.group(1)), content.content(), Expected.parse(row.group(3)),
                            content.says(), content.name()));
                    continue;
                }
                Matcher row = DOCUMENT_ROW.matcher(line);
                if (!row.matches()) {
                    throw new IllegalStateException("unreadable manifest row: " + line);
                }
                String name = row.group(1);
                String says = row.group(3) == null ? "" : unescape(row.group(3));
                Expected expected = Expected.parse(row.group(2));
                byte[] content = name.startsWith("generated:")
                        ? generated(name.substring("generated:".length()))
                        : Files.readAllBytes(corpusFile(name));
                documents.put(name, new Case(name, content, expected, says));
                String fileName = name.startsWith("generated:") ? "generated-" + name.substring("generated:".length()) + ".json" : name;
                drops.add(new Drop(fileName, content, expected, says, name));
            }
            try (Stream<Path> files = Files.list(corpusFile("README.md").getParent())) {
                Set<String> unlisted = files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".json") && !documents.containsKey(f))
                        .collect(Collectors.toCollection(TreeSet::new));
                if (!unlisted.isEmpty()) {
                    throw new IllegalStateException("documents missing from the manifest: " + unlisted);
                }
            }
            return new Manifest(List.copyOf(documents.values()), drops);
        }

        private static Path corpusFile(String name) {
            try {
                return Path.of(HostileInputTest.class.getResource(CORPUS + "README.md").toURI()).resolveSibling(name);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Undoes the manifest's cell escapes: \\uXXXX, \\\\, \\| and c{N} (c repeated N times). */
        static String unescape(String cell) {
            StringBuilder out = new StringBuilder();
            String last = "";
            int i = 0;
            while (i < cell.length()) {
                char c = cell.charAt(i);
                if (c == '\\' && i + 1 < cell.length() && cell.charAt(i + 1) == 'u') {
                    last = String.valueOf((char) Integer.parseInt(cell.substring(i + 2, i + 6), 16));
                    i += 6;
                } else if (c == '\\' && i + 1 < cell.length() && (cell.charAt(i + 1) == '\\' || cell.charAt(i + 1) == '|')) {
                    last = String.valueOf(cell.charAt(i + 1));
                    i += 2;
                } else if (c == '{' && !last.isEmpty() && cell.indexOf('}', i) > i + 1
                        && cell.substring(i + 1, cell.indexOf('}', i)).chars().allMatch(Character::isDigit)) {
                    int end = cell.indexOf('}', i);
                    out.append(last.repeat(Integer.parseInt(cell.substring(i + 1, end)) - 1));
                    last = "";
                    i = end + 1;
                    continue;
                } else {
                    int codePoint = cell.codePointAt(i);
                    last = new String(Character.toChars(codePoint));
                    i += Character.charCount(codePoint);
                }
                out.append(last);
            }
            return out.toString();
        }
    }

    // ---- generated documents --------------------------------------------------------------------------------------------

    /** The documents too big or too repetitive to commit (the "Generated at test time" table of the manifest). */
    static byte[] generated(String name) {
        return switch (name) {
            case "deep-objects-10000" -> utf8("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
            case "deep-arrays-10000" -> utf8("[".repeat(10_000) + "]".repeat(10_000));
            case "deep-inside-registration-10000" -> utf8(registration("Deep Inside").toString().replace(
                    "\"specialInstructions\":\"Nothing special.\"",
                    "\"specialInstructions\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
            case "deep-unclosed-10000" -> utf8("[".repeat(10_000));
            case "body-10mb" -> paddedInsideInstructions(registration("Ten Megabytes"), TEN_MEGABYTES);
            case "body-65537-bytes" -> paddedWithSpaces(registration("Over The Limit"), 65_537);
            case "body-65536-bytes" -> paddedWithSpaces(registration("Exactly At The Limit"), 65_536);
            case "name-10000-characters" -> json(withChildFirstName(registration("x"), "A".repeat(10_000)));
            case "instructions-2000-characters" -> json(withInfo(registration("Long Instructions"), "specialInstructions", "i".repeat(2000)));
            case "instructions-2001-characters" -> json(withInfo(registration("Too Long Instructions"), "specialInstructions", "i".repeat(2001)));
            case "string-20001-characters" -> json(withInfo(registration("Long String"), "padding", "s".repeat(20_001)));
            case "field-name-50001-characters" -> json(withInfo(registration("Long Field Name"), "k".repeat(50_001), 1));
            case "number-1001-digits" -> utf8(registration("Long Number").toString().replace(
                    "\"daysOfWeek\"", "\"serial\":" + "9".repeat(1001) + ",\"daysOfWeek\""));
            case "unknown-fields-5000" -> {
                ObjectNode registration = registration("Five Thousand Keys");
                ObjectNode info = (ObjectNode) registration.get("registration_info");
                for (int i = 0; i < 5000; i++) {
                    info.put("k%04d".formatted(i), 0);
                }
                yield json(registration);
            }
            case "days-6000-duplicates" -> json(withDays(registration("Six Thousand Mondays"), 6000, "Monday"));
            case "days-30000-invalid" -> json(withDays(registration("Thirty Thousand Zeros"), 30_000, 0));
            default -> throw new IllegalArgumentException("no generator for " + name);
        };
    }

    private static ObjectNode registration(String childFirstName) {
        try {
            ObjectNode document = (ObjectNode) JSON.readTree("""
                    {"registration_info": {
                      "child": {"firstName": "Amina", "lastName": "Diallo", "dateOfBirth": "2021-03-27"},
                      "parents": {"mother": {"firstName": "Aicha", "lastName": "Cisse",
                                             "email": "aicha.cisse@example.com", "phone": "123-456-7890"}},
                      "daysOfWeek": ["Monday", "Wednesday", "Friday"],
                      "specialInstructions": "Nothing special."}}
                    """);
            return withChildFirstName(document, childFirstName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets one field of registration_info (a string, or a number for anything else). */
    private static ObjectNode withInfo(ObjectNode registration, String field, Object value) {
        ObjectNode info = (ObjectNode) registration.get("registration_info");
        if (value instanceof String text) {
            info.put(field, text);
        } else {
            info.put(field, (Integer) value);
        }
        return registration;
    }

    private static ObjectNode withChildFirstName(ObjectNode registration, String firstName) {
        ((ObjectNode) registration.get("registration_info").get("child")).put("firstName", firstName);
        return registration;
    }

    private static ObjectNode withDays(ObjectNode registration, int count, Object day) {
        ArrayNode days = ((ObjectNode) registration.get("registration_info")).putArray("daysOfWeek");
        for (int i = 0; i < count; i++) {
            if (day instanceof Integer number) {
                days.add(number);
            } else {
                days.add((String) day);
            }
        }
        return registration;
    }

    private static byte[] paddedWithSpaces(ObjectNode registration, int size) {
        byte[] compact = json(registration);
        byte[] padded = Arrays.copyOf(compact, size);
        Arrays.fill(padded, compact.length, size, (byte) ' ');
        return padded;
    }

    private static byte[] paddedInsideInstructions(ObjectNode registration, int size) {
        int base = json(withInfo(registration, "specialInstructions", "")).length;
        return json(withInfo(registration, "specialInstructions", "p".repeat(size - base)));
    }

    private static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------------

    private static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** The text of a body, or null when it is not valid UTF-8. */
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "(none)";
        }
        return text.length() <= 600 ? text : text.substring(0, 600) + "... (" + text.length() + " characters)";
    }

    /** A file name as it can be printed on one line: control and invisible characters as \\uXXXX, long runs as c{N}. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                out.append("\\u%04x".formatted(cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return Pattern.compile("(.)\\1{19,}").matcher(out).replaceAll(run -> Matcher.quoteReplacement(
                run.group(1) + "{" + run.group().length() + "}"));
    }

    private static void failure(String description) {
        failures.add(description);
    }
}
