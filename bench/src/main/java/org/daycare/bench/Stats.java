package org.daycare.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Medians of rounds: the only figure the suite reports on its own (the rounds themselves go to the JSON). */
final class Stats {

    private Stats() {
    }

    static double median(List<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double max(List<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    static double min(List<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
    }

    /** The ratio of two medians; NaN when either is missing. */
    static double ratio(double value, double floor) {
        return floor > 0 && !Double.isNaN(value) ? value / floor : Double.NaN;
    }
}
