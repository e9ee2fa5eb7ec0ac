package org.daycare.registration.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.daycare.registration.rules.SpecExamples.WEEKDAYS;

import java.time.DayOfWeek;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("OpeningDays")
class OpeningDaysTest {

    @Test
    @DisplayName("the default Monday..Friday parses to the five weekdays")
    void parsesDefault() {
        assertThat(WEEKDAYS.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
                DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
    }

    @Test
    @DisplayName("parse trims names, skips empty entries and collapses repeats")
    void parseIsLenientAboutSeparators() {
        OpeningDays days = OpeningDays.parse(" Friday ,, Monday,Monday, ");

        assertThat(days.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("parse accepts only exact English day names")
    @ValueSource(strings = {"monday", "MONDAY", "Mon", "Lundi", "Montag", "Monday;Tuesday", "Funday"})
    void parseRejectsOtherNames(String name) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpeningDays.parse(name))
                .withMessage("not a day name: '" + name + "'");
    }

    @Test
    @DisplayName("parse names the bad entry among good ones")
    void parseNamesBadEntry() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpeningDays.parse("Monday, tuesday ,Wednesday"))
                .withMessage("not a day name: 'tuesday'");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("the daycare must be open on at least one day")
    @ValueSource(strings = {"", " ", ",", " , ,"})
    void parseRejectsNoDays(String commaSeparated) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OpeningDays.parse(commaSeparated))
                .withMessage("the daycare must be open on at least one day");
    }

    @Test
    @DisplayName("the constructor rejects an empty collection too")
    void constructorRejectsNoDays() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new OpeningDays(List.of()))
                .withMessage("the daycare must be open on at least one day");
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("nameOf and dayNamed round-trip every day's English name")
    @EnumSource(DayOfWeek.class)
    void namesRoundTrip(DayOfWeek day) {
        String name = OpeningDays.nameOf(day);

        assertThat(name).isEqualTo(day.name().charAt(0) + day.name().substring(1).toLowerCase());
        assertThat(OpeningDays.dayNamed(name)).contains(day);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("dayNamed matches case-sensitively, in English only")
    @ValueSource(strings = {"monday", "SUNDAY", "Lundi", "Mon", " Monday", "Monday ", ""})
    void dayNamedIsExact(String name) {
        assertThat(OpeningDays.dayNamed(name)).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" open = {1}")
    @DisplayName("isOpenOn with the default weekdays: closed days and other spellings are not open")
    @CsvSource({
            "Monday, true",
            "Friday, true",
            "Saturday, false",
            "Sunday, false",
            "monday, false",
            "Lundi, false",
    })
    void isOpenOnWeekdays(String name, boolean open) {
        assertThat(WEEKDAYS.isOpenOn(name)).isEqualTo(open);
    }

    @Test
    @DisplayName("isOpenOn follows the configured days (a weekend daycare)")
    void isOpenOnConfiguredDays() {
        OpeningDays weekend = OpeningDays.parse("Saturday,Sunday");

        assertThat(weekend.isOpenOn("Sunday")).isTrue();
        assertThat(weekend.isOpenOn("Monday")).isFalse();
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @DisplayName("describe lists the days in week order, comma-separated")
    @CsvSource(delimiter = '|', value = {
            "Monday,Tuesday,Wednesday,Thursday,Friday | Monday, Tuesday, Wednesday, Thursday, Friday",
            "Friday,Monday,Wednesday                  | Monday, Wednesday, Friday",
            "Sunday,Monday                            | Monday, Sunday",
            "Saturday                                 | Saturday",
    })
    void describe(String configured, String described) {
        assertThat(OpeningDays.parse(configured).describe()).isEqualTo(described);
    }

    @Test
    @DisplayName("days() is a copy the caller cannot use to change the opening days")
    void daysIsACopy() {
        OpeningDays days = OpeningDays.parse("Monday");
        Set<DayOfWeek> copy = days.days();

        copy.add(DayOfWeek.SUNDAY);

        assertThat(days.isOpenOn("Sunday")).isFalse();
        assertThat(days.days()).containsExactly(DayOfWeek.MONDAY);
    }
}
