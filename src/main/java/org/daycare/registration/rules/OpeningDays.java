package org.daycare.registration.rules;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The days the daycare is open, and the English day names ("Monday") registrations use for them.
 * Day names are matched exactly as the original state machine's input spells them.
 */
public final class OpeningDays {

    private final Set<DayOfWeek> days;

    public OpeningDays(Collection<DayOfWeek> days) {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("the daycare must be open on at least one day");
        }
        this.days = EnumSet.copyOf(days);
    }

    /** Parses a comma-separated list of English day names, e.g. {@code Monday,Tuesday,Wednesday}. */
    public static OpeningDays parse(String commaSeparatedDayNames) {
        List<DayOfWeek> parsed = java.util.Arrays.stream(commaSeparatedDayNames.split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .map(name -> dayNamed(name).orElseThrow(
                        () -> new IllegalArgumentException("not a day name: '" + name + "'")))
                .toList();
        return new OpeningDays(parsed);
    }

    public static Optional<DayOfWeek> dayNamed(String name) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (nameOf(day).equals(name)) {
                return Optional.of(day);
            }
        }
        return Optional.empty();
    }

    public static String nameOf(DayOfWeek day) {
        return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    public boolean isOpenOn(String dayName) {
        return dayNamed(dayName).map(days::contains).orElse(false);
    }

    public Set<DayOfWeek> days() {
        return EnumSet.copyOf(days);
    }

    /** The day names in week order, e.g. "Monday, Tuesday, Wednesday, Thursday, Friday". */
    public String describe() {
        return days.stream().map(OpeningDays::nameOf).collect(Collectors.joining(", "));
    }
}
