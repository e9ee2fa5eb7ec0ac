package org.daycare.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs wrk (one thread: the machine has two cores, the other is the application's) with bench/lua/load.lua and
 * reads the line its done() prints. Only loopback URLs are accepted.
 */
final class Wrk {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int THREADS = 1;

    private Wrk() {
    }

    /** One wrk run: its counts, its rate and wrk's latency percentiles (closed loop, per request). */
    record Result(long requests, double seconds, double rps, double p50Ms, double p90Ms, double p99Ms, double maxMs,
            Map<String, Long> statuses, Map<String, Long> errors) {

        long status(int code) {
            return statuses.getOrDefault(Integer.toString(code), 0L);
        }

        long socketErrors() {
            return errors.getOrDefault("connect", 0L) + errors.getOrDefault("read", 0L)
                    + errors.getOrDefault("write", 0L) + errors.getOrDefault("timeout", 0L);
        }

        /** Answers other than the given codes, plus socket errors and time-outs. */
        long unexpected(int... expected) {
            long fine = 0;
            for (int code : expected) {
                fine += status(code);
            }
            long answered = statuses.values().stream().mapToLong(Long::longValue).sum();
            return answered - fine + socketErrors();
        }

        ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode()
                    .put("requests", requests).put("seconds", round(seconds, 3)).put("rps", round(rps, 1))
                    .put("p50_ms", round(p50Ms, 3)).put("p90_ms", round(p90Ms, 3)).put("p99_ms", round(p99Ms, 3))
                    .put("max_ms", round(maxMs, 3));
            ObjectNode codes = node.putObject("statuses");
            statuses.forEach(codes::put);
            ObjectNode errs = node.putObject("errors");
            errors.forEach(errs::put);
            return node;
        }
    }

    static Result run(Settings settings, String url, String mode, String prefix, int connections, int seconds,
            String... headers) {
        if (!url.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException("the suite only targets loopback: " + url);
        }
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + THREADS, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", settings.lua.toString()));
        for (String header : headers) {
            command.add("-H");
            command.add(header);
        }
        command.add(url);
        command.add("--");
        command.add(mode);
        command.add(prefix);
        try {
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!wrk.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                wrk.destroyForcibly();
                throw new IllegalStateException("wrk did not finish: " + command);
            }
            String line = output.lines().filter(l -> l.startsWith("BENCHJSON ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk printed no result (" + command + "):\n" + output));
            JsonNode json = JSON.readTree(line.substring("BENCHJSON ".length()));
            long requests = json.get("requests").asLong();
            double duration = json.get("duration_us").asDouble() / 1e6;
            Map<String, Long> statuses = new LinkedHashMap<>();
            json.get("statuses").fields().forEachRemaining(e -> statuses.put(e.getKey(), e.getValue().asLong()));
            Map<String, Long> errors = new LinkedHashMap<>();
            json.get("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asLong()));
            return new Result(requests, duration, requests / duration, json.get("p50_us").asDouble() / 1000,
                    json.get("p90_us").asDouble() / 1000, json.get("p99_us").asDouble() / 1000,
                    json.get("max_us").asDouble() / 1000, statuses, errors);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run wrk (bench/run installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
