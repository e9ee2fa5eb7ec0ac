package org.daycare.registration.store;

import java.time.DayOfWeek;
import java.util.EnumMap;
import java.util.Map;

import org.daycare.registration.rules.OpeningDays;

/** The configured spots per opening day: one number for every day, with per-day exceptions. */
public final class CapacityPlan {

    private CapacityPlan() {
    }

    /** @param overrides e.g. {@code Friday:10,Monday:25}; empty for none */
    public static Map<DayOfWeek, Integer> parse(OpeningDays openingDays, int perDay, String overrides) {
        if (perDay < 0) {
            throw new IllegalArgumentException("capacity per day must not be negative: " + perDay);
        }
        Map<DayOfWeek, Integer> plan = new EnumMap<>(DayOfWeek.class);
        openingDays.days().forEach(day -> plan.put(day, perDay));
        for (String entry : overrides.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            DayOfWeek day = parts.length == 2 ? OpeningDays.dayNamed(parts[0].trim()).orElse(null) : null;
            if (day == null || !plan.containsKey(day)) {
                throw new IllegalArgumentException("capacity override must be OpeningDay:spots, got '" + entry.trim() + "'");
            }
            int spots = Integer.parseInt(parts[1].trim());
            if (spots < 0) {
                throw new IllegalArgumentException("capacity override must not be negative: '" + entry.trim() + "'");
            }
            plan.put(day, spots);
        }
        return plan;
    }
}
