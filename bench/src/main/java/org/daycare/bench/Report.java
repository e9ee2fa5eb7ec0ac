package org.daycare.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The run's figures: one table of medians with their floors and ratios, one of the targets (met or missed), and
 * the same figures, with every round, as JSON.
 */
final class Report {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root = JSON.createObjectNode();
    private final ObjectNode figures = root.putObject("figures");
    private final ArrayNode rows = root.putArray("table");
    private final ArrayNode targets = root.putArray("targets");
    private final List<String[]> tableRows = new ArrayList<>();
    private final List<String[]> targetRows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    ObjectNode meta() {
        return root.with("meta");
    }

    ObjectNode figure(String key) {
        return figures.with(key);
    }

    /** A measured median, its floor's median in the same run, and their ratio (value / floor). */
    void row(String figure, String measure, double value, String unit, String floorName, double floorValue,
            String note) {
        double ratio = Stats.ratio(value, floorValue);
        ObjectNode row = rows.addObject().put("figure", figure).put("measure", measure).put("median", value)
                .put("unit", unit);
        if (floorName != null) {
            row.put("floor", floorName).put("floor_median", floorValue).put("ratio", Wrk.round(ratio, 4));
        }
        if (note != null) {
            row.put("note", note);
        }
        tableRows.add(new String[] {figure, measure, format(value) + " " + unit,
                floorName == null ? "" : floorName, floorName == null ? "" : format(floorValue) + " " + unit,
                floorName == null ? "" : String.format(Locale.ROOT, "%.3f", ratio), note == null ? "" : note});
    }

    void row(String figure, String measure, double value, String unit, String note) {
        row(figure, measure, value, unit, null, Double.NaN, note);
    }

    void target(String target, String required, String measured, boolean met) {
        targets.addObject().put("target", target).put("required", required).put("measured", measured)
                .put("met", met);
        targetRows.add(new String[] {target, required, measured, met ? "met" : "MISSED"});
    }

    void note(String note) {
        notes.add(note);
        root.withArray("notes").add(note);
    }

    /** A figure whose answers were wrong: written with the figures, and the run exits non-zero. */
    void fail(String failure) {
        failures.add(failure);
        root.withArray("failures").add(failure);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    String table() {
        StringBuilder text = new StringBuilder();
        text.append(render(new String[] {"fig", "measure", "median", "floor", "floor median", "ratio", "note"},
                tableRows));
        text.append('\n');
        text.append(render(new String[] {"target", "required", "measured", "result"}, targetRows));
        if (!notes.isEmpty()) {
            text.append('\n');
            notes.forEach(n -> text.append("* ").append(n).append('\n'));
        }
        if (!failures.isEmpty()) {
            text.append('\n');
            failures.forEach(f -> text.append("FAILED ").append(f).append('\n'));
        }
        return text.toString();
    }

    /** The same table as Markdown, for docs/benchmarks.md. */
    String markdown() {
        StringBuilder text = new StringBuilder();
        text.append(markdown(new String[] {"fig", "measure", "median", "floor", "floor median", "ratio", "note"},
                tableRows));
        text.append('\n');
        text.append(markdown(new String[] {"target", "required", "measured", "result"}, targetRows));
        return text.toString();
    }

    void write(Path json, Path text, Path md) throws IOException {
        Files.createDirectories(json.getParent());
        JSON.writeValue(json.toFile(), root);
        Files.writeString(text, table());
        Files.writeString(md, markdown());
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String render(String[] header, List<String[]> body) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] row : body) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, header, widths);
        String[] rule = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            rule[i] = "-".repeat(widths[i]);
        }
        line(text, rule, widths);
        body.forEach(row -> line(text, row, widths));
        return text.toString();
    }

    private static void line(StringBuilder text, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            text.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", cells[i]));
        }
        text.append('\n');
    }

    private static String markdown(String[] header, List<String[]> body) {
        StringBuilder text = new StringBuilder("| " + String.join(" | ", header) + " |\n");
        text.append("|").append("---|".repeat(header.length)).append('\n');
        body.forEach(row -> text.append("| ").append(String.join(" | ", row).replace("\n", " ")).append(" |\n"));
        return text.toString();
    }
}
