package org.daycare.bench.tools;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarizes the CPU samples (jdk.ExecutionSample) of a JFR recording, as docs/benchmarks.md quotes them: the
 * share of samples by layer (the first frame, from the top, that belongs to a known library or to the
 * application), the hottest methods by self time, and by inclusive time for the application's own methods.
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.daycare.bench.tools.JfrTop FILE.jfr [TOP]
 * </pre>
 */
public final class JfrTop {

    private static final Map<String, String> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("org.daycare.", "application");
        LAYERS.put("org.h2.", "H2");
        LAYERS.put("com.zaxxer.hikari.", "HikariCP");
        LAYERS.put("com.fasterxml.jackson.", "Jackson");
        LAYERS.put("ch.qos.logback.", "logback");
        LAYERS.put("org.slf4j.", "logback");
        LAYERS.put("org.apache.camel.", "Camel");
        LAYERS.put("io.vertx.", "Vert.x/Netty");
        LAYERS.put("io.netty.", "Vert.x/Netty");
        LAYERS.put("software.amazon.", "AWS SDK");
        LAYERS.put("org.apache.http.", "AWS SDK");
        LAYERS.put("org.flywaydb.", "Flyway");
        LAYERS.put("sun.nio.ch.", "JDK I/O");
        LAYERS.put("java.io.", "JDK I/O");
        LAYERS.put("sun.nio.fs.", "JDK I/O");
        LAYERS.put("java.nio.", "JDK I/O");
    }

    private JfrTop() {
    }

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> layers = new HashMap<>();
        Map<String, Integer> layerInclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            String layer = "JDK/other";
            for (RecordedFrame frame : frames) {
                String owner = frame.getMethod().getType().getName();
                String found = layerOf(owner);
                if (found != null) {
                    layer = found;
                    break;
                }
            }
            layers.merge(layer, 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            Set<String> seenLayers = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (seen.add(name) && name.startsWith("org.daycare.")) {
                    inclusive.merge(name, 1, Integer::sum);
                }
                String found = layerOf(frame.getMethod().getType().getName());
                if (found != null && seenLayers.add(found)) {
                    layerInclusive.merge(found, 1, Integer::sum);
                }
            }
        }
        System.out.printf("%d CPU samples%n%nby layer (self: first known frame from the top; inclusive: anywhere in the stack)%n",
                samples);
        int total = samples;
        layers.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  %5.1f%% self  %5.1f%% incl  %s%n", 100.0 * e.getValue() / total,
                        100.0 * layerInclusive.getOrDefault(e.getKey(), e.getValue()) / total, e.getKey()));
        System.out.printf("%nhottest methods (self)%n");
        self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
        System.out.printf("%napplication methods (inclusive)%n");
        inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }

    private static String layerOf(String owner) {
        for (Map.Entry<String, String> layer : LAYERS.entrySet()) {
            if (owner.startsWith(layer.getKey())) {
                return layer.getValue();
            }
        }
        return null;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
