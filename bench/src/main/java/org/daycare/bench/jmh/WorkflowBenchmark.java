package org.daycare.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.daycare.bench.Documents;
import org.daycare.bench.Settings;
import org.daycare.registration.DaycareApplication;
import org.daycare.registration.workflow.ExecutionResult;
import org.daycare.registration.workflow.Executions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Figure 2: executions entering the workflow directly, without HTTP. The whole application is started in the
 * JMH fork exactly as {@code java -jar} starts it (DaycareApplication's Main, config/application.properties,
 * routes/), and each call sends one document to {@code direct:submit-registration}, the route both intakes share
 * (read the body, answer a repeat from the store or start an execution, then the four states and the end state,
 * recorded in the database with the outcome notification).
 *
 * <p>{@code database}: {@code h2-file} is the shipped embedded H2 file database; {@code h2-mem} points
 * {@code daycare.db.url} at an in-memory H2 (jdbc:h2:mem), the closest variant "without the database" that the
 * application allows: the execution store and the ledger are JDBC only, so the SQL is still run, but nothing
 * is written to a file.
 *
 * <p>The fork runs with {@link MainThreadClassLoading} as its Java agent: see there why the application's
 * {@code TaskResult} must be loaded by the JVM's main thread, as it is in the shipped application.
 */
@State(Scope.Benchmark)
public class WorkflowBenchmark {

    @Param({"h2-file", "h2-mem"})
    public String database;

    private Main main;
    private ProducerTemplate template;
    private final AtomicLong counter = new AtomicLong();
    private String prefix;

    @Setup
    public void start() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path data = Path.of("target", "bench", "work", "jmh", database + "-" + run).toAbsolutePath();
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        main = DaycareApplication.newMain();
        main.addOverrideProperty("camel.server.host", "127.0.0.1");
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("daycare.data-dir", data.toString());
        main.addOverrideProperty("daycare.clock.today", Settings.TODAY);
        main.addOverrideProperty("daycare.clock.zone", "UTC");
        main.addOverrideProperty("daycare.admin.token", Settings.ADMIN_TOKEN);
        main.addOverrideProperty("daycare.capacity.per-day", Settings.CAPACITY_PER_DAY);
        if (database.equals("h2-mem")) {
            main.addOverrideProperty("daycare.db.url", "jdbc:h2:mem:bench-" + run + ";DB_CLOSE_DELAY=-1");
        }
        main.start();
        template = main.getCamelContext().createProducerTemplate();
        prefix = "wf" + run;
    }

    @Benchmark
    public Object execution() {
        long n = counter.getAndIncrement();
        byte[] body = Documents.document(prefix, n).getBytes(StandardCharsets.UTF_8);
        Exchange exchange = template.send("direct:submit-registration", e -> {
            e.getMessage().setBody(body);
            e.setProperty(Executions.SOURCE, "bench");
        });
        if (exchange.getException() != null) {
            throw new IllegalStateException("execution " + n + " failed", exchange.getException());
        }
        Object result = exchange.getMessage().getBody();
        if (!(result instanceof ExecutionResult executed)
                || executed.succeeded() != (Documents.kind(n) == Documents.Kind.SUCCESS)) {
            throw new IllegalStateException("document " + n + " (" + Documents.kind(n) + ") was answered " + result);
        }
        return result;
    }

    @TearDown
    public void stop() {
        if (template != null) {
            try {
                template.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
        if (main != null) {
            main.stop();
        }
    }
}
