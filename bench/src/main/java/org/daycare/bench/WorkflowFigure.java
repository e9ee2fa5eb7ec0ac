package org.daycare.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.bench.jmh.RouterBenchmark;
import org.daycare.bench.jmh.RulesBenchmark;
import org.daycare.bench.jmh.WorkflowBenchmark;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Figure 2, in-process workflow, with JMH 1.37: {@link WorkflowBenchmark} (the application started in the fork,
 * documents sent to direct:submit-registration; H2 file and H2 in-memory) against the floor
 * {@link RulesBenchmark} (the four tasks as plain Java calls). One thread, throughput; every measurement
 * iteration of every fork is a round, the figure is their median.
 */
final class WorkflowFigure {

    private WorkflowFigure() {
    }

    static void run(Settings settings, Report report) throws Exception {
        List<String> jvmArgs = new ArrayList<>(Settings.APP_JVM_FLAGS);
        // the application's log lines go to a file, as the application JVMs' do (not through JMH's console)
        jvmArgs.add("-Dlogback.configurationFile=" + settings.root.resolve("bench/src/main/resources/logback-file.xml"));
        jvmArgs.add("-Dbench.log=" + settings.work.resolve("logs/jmh-workflow.log"));
        // TaskResult loaded by the main thread, as in the shipped application (see MainThreadClassLoading)
        jvmArgs.add("-javaagent:" + settings.root.resolve("bench/target/bench-agent.jar"));
        Options options = new OptionsBuilder()
                .include("^(" + WorkflowBenchmark.class.getName() + "|" + RulesBenchmark.class.getName() + "|"
                        + RouterBenchmark.class.getName() + ")\\.")
                .forks(settings.jmhForks)
                .warmupIterations(settings.jmhWarmupIterations)
                .warmupTime(TimeValue.milliseconds(settings.jmhIterationMillis))
                .measurementIterations(settings.jmhIterations)
                .measurementTime(TimeValue.milliseconds(settings.jmhIterationMillis))
                .threads(1)
                .timeUnit(TimeUnit.SECONDS)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            String variant = result.getParams().getParam(name.equals("execution") ? "database" : "body");
            String key = variant == null ? name : name + "[" + variant + "]";
            List<Double> rounds = scores.computeIfAbsent(key, k -> new ArrayList<>());
            for (BenchmarkResult fork : result.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    rounds.add(iteration.getPrimaryResult().getScore());
                }
            }
        }
        ObjectNode figure = report.figure("2_workflow");
        figure.put("jmh", String.format("JMH 1.37, %d fork(s) x %d iterations of %d ms after %d warm-up, 1 thread",
                settings.jmhForks, settings.jmhIterations, settings.jmhIterationMillis, settings.jmhWarmupIterations));
        figure.put("without_database", "h2-mem: daycare.db.url=jdbc:h2:mem:... (the store and ledger are JDBC only,"
                + " so an in-memory H2 is the closest variant without a database the application allows)");
        scores.forEach((key, rounds) -> {
            ArrayNode json = figure.putArray(key + "_ops_per_second_rounds");
            rounds.forEach(json::add);
        });
        double floor = Stats.median(scores.getOrDefault("fourRules", List.of()));
        double file = Stats.median(scores.getOrDefault("execution[h2-file]", List.of()));
        double memory = Stats.median(scores.getOrDefault("execution[h2-mem]", List.of()));
        figure.put("rules_median", floor).put("h2_file_median", file).put("h2_mem_median", memory);
        report.row("2", "workflow executions/s, H2 file (in-process)", file, "exec/s", "4 rules, plain Java", floor,
                "1 thread, direct:submit-registration");
        report.row("2", "workflow executions/s, H2 in-memory", memory, "exec/s", "4 rules, plain Java", floor,
                "closest to 'no database': jdbc:h2:mem");
        report.row("2", "  H2 file vs H2 in-memory", file / memory, "x", null, Double.NaN, null);
        // issue 9: the body type of the tasks' answers, chosen from these (the routers decide with jsonpath)
        double filterOnMap = Stats.median(scores.getOrDefault("filterPredicates[map]", List.of()));
        double filterOnPojo = Stats.median(scores.getOrDefault("filterPredicates[pojo]", List.of()));
        double onceOnPojo = Stats.median(scores.getOrDefault("onceIntoAProperty[pojo]", List.of()));
        double simpleOnPojo = Stats.median(scores.getOrDefault("simpleOnTheBody[pojo]", List.of()));
        figure.put("router_filter_map_median", filterOnMap).put("router_filter_pojo_median", filterOnPojo)
                .put("router_once_pojo_median", onceOnPojo).put("router_simple_pojo_median", simpleOnPojo);
        report.row("2", "Choice decision, jsonpath filters, Map body", filterOnMap, "decisions/s",
                "same on a POJO body", filterOnPojo, "two whens, the second taken");
        report.row("2", "  jsonpath once into a property, POJO body", onceOnPojo, "decisions/s",
                "simple ${body.statusCode}", simpleOnPojo, null);
    }
}
