package org.daycare.registration.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of /observe/metrics (Prometheus text format 0.0.4), read into its samples. A series is named by its
 * metric name and the labels a test cares about; a sample matches when it has those labels with those values.
 */
public final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:\\\\.|[^\"\\\\])*)\",?");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final String text;
    private final List<Sample> samples;

    private PrometheusScrape(String text, List<Sample> samples) {
        this.text = text;
        this.samples = samples;
    }

    public static PrometheusScrape of(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.strip());
            if (!sample.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, number(sample.group(3))));
        }
        return new PrometheusScrape(text, samples);
    }

    /** Go's float syntax as the format writes it: also NaN, +Inf and -Inf. */
    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    public String text() {
        return text;
    }

    public List<Sample> samples() {
        return samples;
    }

    /**
     * The value of exactly one sample of {@code name} carrying these labels ({@code "key", "value", ...}); fails when
     * none or several match.
     */
    public double value(String name, String... labels) {
        List<Sample> matching = matching(name, labels);
        if (matching.size() != 1) {
            throw new AssertionError(matching.size() + " samples of " + name + " " + List.of(labels) + ": " + matching);
        }
        return matching.get(0).value();
    }

    /** Every sample of {@code name} carrying these labels. */
    public List<Sample> matching(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in key, value pairs");
        }
        List<Sample> matching = new ArrayList<>();
        for (Sample sample : samples) {
            boolean match = sample.name().equals(name);
            for (int i = 0; match && i < labels.length; i += 2) {
                match = labels[i + 1].equals(sample.labels().get(labels[i]));
            }
            if (match) {
                matching.add(sample);
            }
        }
        return matching;
    }
}
