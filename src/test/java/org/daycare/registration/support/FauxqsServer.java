package org.daycare.registration.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Runs the <a href="https://www.npmjs.com/package/fauxqs">fauxqs</a> SNS/SQS emulator (npm package
 * pinned in {@code src/test/fauxqs/package.json}) as a child {@code node} process on a free
 * loopback port, pre-created with one SNS topic and one SQS queue subscribed to it (raw message
 * delivery off, so every queue message is the SNS envelope JSON).
 *
 * <pre>{@code
 * try (FauxqsServer sns = FauxqsServer.start("registration-outcomes")) {
 *     // point the app at sns.endpoint() / sns.topicArn(), region us-east-1, credentials test/test
 *     List<ReceivedNotification> got = sns.receive(1, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Needs {@code node} (>= 20) on the PATH and {@code npm ci --prefix src/test/fauxqs} run once;
 * without either it fails (never skips) with a message saying so. Paths are relative to the working
 * directory, which Surefire sets to the project root. The emulator's output goes to
 * {@code target/fauxqs-PORT.log}. A different node binary can be given with {@code -Dfauxqs.node=/path/to/node}.
 *
 * <p>fauxqs 1.9.2 always binds 0.0.0.0; {@code src/test/fauxqs/loopback-guard.cjs} is preloaded
 * ({@code node --require}) to force the bind address to 127.0.0.1 and to make node exit if this JVM
 * dies without stopping it.
 *
 * <p>State is in memory only: {@link #stopProcess()} / {@link #startProcess()} simulate an outage on
 * the same port; the topic, queue and subscription are recreated from the init file on start (same
 * ARN and queue URL), messages queued before the stop are lost.
 */
public final class FauxqsServer implements AutoCloseable {

    public static final String REGION = "us-east-1";
    /** fauxqs' fixed account id, used in every ARN and queue URL. */
    public static final String ACCOUNT_ID = "000000000000";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";

    /** Where package.json / package-lock.json / node_modules live, relative to the project root. */
    static final Path DEFAULT_FAUXQS_DIR = Path.of("src", "test", "fauxqs");
    static final String INSTALL_HINT = "run `npm ci --prefix src/test/fauxqs` from the project root";

    private static final Path ENTRY_SCRIPT = Path.of("node_modules", "fauxqs", "dist", "cli.js");
    private static final Path LOOPBACK_GUARD = Path.of("loopback-guard.cjs");
    private static final String NODE = System.getProperty("fauxqs.node", "node");
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path fauxqsDir;
    private final Path entryScript;
    private final Path loopbackGuard;
    private final Path targetDir;
    private final String topicName;
    private final String queueName;
    private final int port;
    private final Path initFile;
    private final Path logFile;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private volatile Process process;
    private String queueUrl;
    private SdkHttpClient sdkHttpClient;
    private SqsClient sqs;
    private SnsClient sns;

    /** Starts fauxqs with topic {@code topicName} and a queue named {@code topicName + "-test-queue"} subscribed to it. */
    public static FauxqsServer start(String topicName) {
        return start(topicName, topicName + "-test-queue");
    }

    /** Starts fauxqs with topic {@code topicName} and queue {@code queueName} subscribed to it. */
    public static FauxqsServer start(String topicName, String queueName) {
        return start(DEFAULT_FAUXQS_DIR, topicName, queueName);
    }

    static FauxqsServer start(Path fauxqsDir, String topicName, String queueName) {
        Path dir = fauxqsDir.toAbsolutePath().normalize();
        Path entry = dir.resolve(ENTRY_SCRIPT);
        Path guard = dir.resolve(LOOPBACK_GUARD);
        checkPrerequisites(dir, entry, guard);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            FauxqsServer server = new FauxqsServer(dir, entry, guard, topicName, queueName, freeLoopbackPort());
            try {
                server.startProcess();
                return server;
            } catch (RuntimeException e) {
                server.close();
                if (!(e instanceof PortInUseException)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private FauxqsServer(Path fauxqsDir, Path entryScript, Path loopbackGuard, String topicName, String queueName,
            int port) {
        this.fauxqsDir = fauxqsDir;
        this.entryScript = entryScript;
        this.loopbackGuard = loopbackGuard;
        this.topicName = requireName(topicName, "topicName");
        this.queueName = requireName(queueName, "queueName");
        this.port = port;
        this.targetDir = Path.of("target").toAbsolutePath();
        this.initFile = targetDir.resolve("fauxqs-" + port + "-init.json");
        this.logFile = targetDir.resolve("fauxqs-" + port + ".log");
        this.shutdownHook = new Thread(this::killProcess, "fauxqs-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    // ---------------------------------------------------------------- addresses

    /** {@code http://127.0.0.1:PORT}: the endpoint for both SNS and SQS clients. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public URI endpointUri() {
        return URI.create(endpoint());
    }

    public int port() {
        return port;
    }

    public String topicName() {
        return topicName;
    }

    /** {@code arn:aws:sns:us-east-1:000000000000:TOPIC}. */
    public String topicArn() {
        return "arn:aws:sns:" + REGION + ":" + ACCOUNT_ID + ":" + topicName;
    }

    public String queueName() {
        return queueName;
    }

    /** {@code arn:aws:sqs:us-east-1:000000000000:QUEUE}. */
    public String queueArn() {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT_ID + ":" + queueName;
    }

    /**
     * The queue URL exactly as fauxqs knows it ({@code http://sqs.us-east-1.localhost:PORT/000000000000/QUEUE}).
     * fauxqs looks queues up by this exact string; the host part is never resolved because clients
     * send requests to {@link #endpoint()}.
     */
    public String queueUrl() {
        return queueUrl;
    }

    /** The emulator's combined stdout/stderr ({@code target/fauxqs-PORT.log}). */
    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    // ---------------------------------------------------------------- clients

    /** An SQS client for this emulator (owned by this server, closed by {@link #close()}). */
    public synchronized SqsClient sqsClient() {
        if (sqs == null) {
            sqs = SqsClient.builder()
                    .endpointOverride(endpointUri())
                    .region(Region.of(REGION))
                    .credentialsProvider(credentials())
                    .httpClient(sdkHttpClient())
                    .build();
        }
        return sqs;
    }

    /** An SNS client for this emulator (owned by this server, closed by {@link #close()}). */
    public synchronized SnsClient snsClient() {
        if (sns == null) {
            sns = SnsClient.builder()
                    .endpointOverride(endpointUri())
                    .region(Region.of(REGION))
                    .credentialsProvider(credentials())
                    .httpClient(sdkHttpClient())
                    .build();
        }
        return sns;
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    private SdkHttpClient sdkHttpClient() {
        if (sdkHttpClient == null) {
            // never through a proxy: all traffic stays on 127.0.0.1
            sdkHttpClient = ApacheHttpClient.builder()
                    .proxyConfiguration(ProxyConfiguration.builder()
                            .useSystemPropertyValues(false)
                            .useEnvironmentVariableValues(false)
                            .build())
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(30))
                    .build();
        }
        return sdkHttpClient;
    }

    // ---------------------------------------------------------------- queue access

    /**
     * Polls the test queue until at least {@code expected} notifications have arrived or
     * {@code timeout} has passed, deleting every message it receives. Returns everything received
     * (it may be fewer than {@code expected} on timeout, or more if more arrived in the last poll), so
     * assert on the result. With {@code expected == 0} it polls for the whole timeout, which lets a
     * test assert that nothing was published.
     */
    public List<ReceivedNotification> receive(int expected, Duration timeout) {
        if (expected < 0) {
            throw new IllegalArgumentException("expected must be >= 0: " + expected);
        }
        SqsClient client = sqsClient();
        List<ReceivedNotification> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            int waitSeconds = remainingMillis >= 1000 ? 1 : 0;
            ReceiveMessageResponse response = client.receiveMessage(r -> r
                    .queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(waitSeconds)
                    .visibilityTimeout(30));
            for (Message m : response.messages()) {
                received.add(parseEnvelope(m.body()));
                client.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            boolean enough = expected > 0 && received.size() >= expected;
            if (enough || System.nanoTime() - deadline >= 0) {
                return received;
            }
            if (response.messages().isEmpty() && waitSeconds == 0) {
                sleep(Math.max(1, Math.min(100, remainingMillis)));
            }
        }
    }

    /** Drops every message in the test queue. */
    public void purgeQueue() {
        sqsClient().purgeQueue(r -> r.queueUrl(queueUrl));
    }

    /** Parses an SNS envelope (as delivered to SQS with raw message delivery off). */
    public static ReceivedNotification parseEnvelope(String body) {
        try {
            JsonNode envelope = JSON.readTree(body);
            JsonNode subject = envelope.get("Subject");
            JsonNode message = envelope.get("Message");
            Map<String, String> attributes = new LinkedHashMap<>();
            JsonNode attrs = envelope.get("MessageAttributes");
            if (attrs != null && attrs.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> fields = attrs.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    JsonNode value = field.getValue().get("Value");
                    attributes.put(field.getKey(), value == null || value.isNull() ? "" : value.asText());
                }
            }
            return new ReceivedNotification(
                    subject == null || subject.isNull() ? null : subject.asText(),
                    message == null || message.isNull() ? null : message.asText(),
                    attributes);
        } catch (IOException e) {
            throw new IllegalStateException("queue message is not an SNS envelope: " + body, e);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the emulator on this server's port (first start, or again after {@link #stopProcess()}),
     * recreating the topic, the queue and the subscription, and waits (at most 20 s) until
     * {@code GET /health} answers.
     */
    public synchronized void startProcess() {
        if (isRunning()) {
            throw new IllegalStateException("fauxqs is already running on " + endpoint());
        }
        try {
            Files.createDirectories(targetDir);
            Files.writeString(initFile, initConfig(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + initFile, e);
        }
        ProcessBuilder builder = new ProcessBuilder(
                NODE, "--require", loopbackGuard.toString(), entryScript.toString());
        builder.directory(fauxqsDir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("FAUXQS_"));
        env.remove("NODE_OPTIONS");
        env.put("FAUXQS_PORT", Integer.toString(port));
        env.put("FAUXQS_INIT", initFile.toString());
        env.put("FAUXQS_DEFAULT_REGION", REGION);
        env.put("FAUXQS_LOGGER", "false"); // note: the 1.9.2 CLI ignores it and always logs (to our log file)
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start `" + NODE + "`: " + e.getMessage() + "; " + INSTALL_HINT, e);
        }
        try {
            awaitHealthy();
            verifyResources();
        } catch (RuntimeException e) {
            killProcess();
            throw e;
        }
    }

    /** Kills the emulator (outage simulation); {@link #startProcess()} brings it back on the same port. */
    public synchronized void stopProcess() {
        killProcess();
    }

    /** Kills the emulator and closes the SDK clients. */
    public void stop() {
        close();
    }

    @Override
    public synchronized void close() {
        killProcess();
        if (sqs != null) {
            sqs.close();
            sqs = null;
        }
        if (sns != null) {
            sns.close();
            sns = null;
        }
        if (sdkHttpClient != null) {
            sdkHttpClient.close();
            sdkHttpClient = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // JVM already shutting down, or hook already removed
        }
    }

    private void killProcess() {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (p.isAlive()) {
            throw new IllegalStateException("fauxqs (pid " + p.pid() + ") did not stop");
        }
        process = null;
    }

    private void awaitHealthy() {
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        long deadline = System.nanoTime() + HEALTH_TIMEOUT.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() - deadline < 0) {
            Process p = process;
            if (!p.isAlive()) {
                String log = logTail();
                if (log.contains("EADDRINUSE")) {
                    throw new PortInUseException("fauxqs could not bind 127.0.0.1:" + port + "\n" + log);
                }
                throw new IllegalStateException("fauxqs exited with code " + p.exitValue()
                        + " before becoming healthy (log " + logFile + "):\n" + log);
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastProblem = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for fauxqs", e);
            }
            sleep(100);
        }
        throw new IllegalStateException("fauxqs did not answer GET " + endpoint() + "/health within "
                + HEALTH_TIMEOUT.toSeconds() + " s (last: " + lastProblem + "; log " + logFile + "):\n" + logTail());
    }

    private void verifyResources() {
        String url = sqsClient().getQueueUrl(r -> r.queueName(queueName)).queueUrl();
        if (queueUrl != null && !queueUrl.equals(url)) {
            throw new IllegalStateException("queue URL changed across restart: " + queueUrl + " -> " + url);
        }
        queueUrl = url;
        Map<String, String> topic = snsClient().getTopicAttributes(r -> r.topicArn(topicArn())).attributes();
        if (!topicArn().equals(topic.get("TopicArn"))) {
            throw new IllegalStateException("unexpected topic attributes from fauxqs: " + topic);
        }
    }

    private String initConfig() {
        ObjectNode root = JSON.createObjectNode();
        root.put("region", REGION);
        root.putArray("queues").addObject().put("name", queueName);
        root.putArray("topics").addObject().put("name", topicName);
        ArrayNode subscriptions = root.putArray("subscriptions");
        subscriptions.addObject()
                .put("topic", topicName)
                .put("queue", queueName)
                .putObject("attributes").put("RawMessageDelivery", "false");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    // ---------------------------------------------------------------- prerequisites

    private static void checkPrerequisites(Path dir, Path entry, Path guard) {
        String version;
        try {
            Process p = new ProcessBuilder(NODE, "--version").redirectErrorStream(true).start();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("`" + NODE + " --version` did not finish within 15 s; " + INSTALL_HINT);
            }
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IllegalStateException("`" + NODE + " --version` failed (" + version + "); " + INSTALL_HINT);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Node.js (`" + NODE + "`) was not found on the PATH; the SNS tests need it"
                    + " to run the fauxqs emulator: install Node.js >= 20 (with npm), then " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking for node", e);
        }
        int major = nodeMajor(version);
        if (major < 20) {
            throw new IllegalStateException("fauxqs 1.9.2 needs Node.js >= 20 but `" + NODE + " --version` says "
                    + version + "; install Node.js >= 20, then " + INSTALL_HINT);
        }
        if (!Files.isRegularFile(entry)) {
            installFauxqs(dir);
        }
        if (!Files.isRegularFile(entry)) {
            throw new IllegalStateException("the fauxqs SNS/SQS emulator is not installed (" + entry + " is missing): "
                    + INSTALL_HINT);
        }
        if (!Files.isRegularFile(guard)) {
            throw new IllegalStateException(guard + " is missing (it is part of the repository, under " + dir + ")");
        }
    }

    /**
     * The README's test command is plain {@code mvn verify}: on a fresh clone the emulator is installed here,
     * once, from the committed package-lock.json. A failure says why; the SNS tests then fail, never skip.
     */
    private static void installFauxqs(Path dir) {
        NpmCi.install(dir, "fauxqs", "the SNS tests need it to install the fauxqs emulator", INSTALL_HINT);
    }

    private static int nodeMajor(String version) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        int dot = v.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static String requireName(String name, String what) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,80}")) {
            throw new IllegalArgumentException(what + " must be 1-80 of [A-Za-z0-9_-]: " + name);
        }
        return name;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static final class PortInUseException extends IllegalStateException {
        PortInUseException(String message) {
            super(message);
        }
    }
}
