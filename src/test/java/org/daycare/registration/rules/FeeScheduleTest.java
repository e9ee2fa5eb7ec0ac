package org.daycare.registration.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.daycare.registration.rules.SpecExamples.TODAY;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Confirm Registration's pricing: FeeSchedule")
class FeeScheduleTest {

    private static final String SPEC_FEE_TABLE = "2:800,3:750,4:700,5:650";
    private static final int TWO_WEEKS = 14;

    private final FeeSchedule specSchedule = FeeSchedule.parse(SPEC_FEE_TABLE, TWO_WEEKS);

    @ParameterizedTest(name = "age {0}: {1} a month")
    @DisplayName("parses the spec's fee table 2:800,3:750,4:700,5:650")
    @CsvSource({"2, 800", "3, 750", "4, 700", "5, 650"})
    void specFeeTable(int age, int monthlyFee) {
        assertThat(specSchedule.monthlyFee(age)).hasValue(monthlyFee);
    }

    @ParameterizedTest(name = "age {0}")
    @DisplayName("no fee for an age outside the table")
    @ValueSource(ints = {-1, 0, 1, 6, 10})
    void noFeeOutsideTable(int age) {
        assertThat(specSchedule.monthlyFee(age)).isEmpty();
    }

    @Test
    @DisplayName("whitespace around entries, ages and fees is ignored")
    void toleratesWhitespace() {
        FeeSchedule schedule = FeeSchedule.parse(" 2 : 800 ,3:750, 4:700 , 5 :650 ", TWO_WEEKS);

        assertThat(schedule.monthlyFee(2)).hasValue(800);
        assertThat(schedule.monthlyFee(5)).hasValue(650);
    }

    @Test
    @DisplayName("start date is today plus two weeks: 2026-11-25 -> 2026-12-09")
    void startDateIsTodayPlusFourteenDays() {
        assertThat(specSchedule.startDate(TODAY)).isEqualTo(LocalDate.of(2026, 12, 9));
    }

    @ParameterizedTest(name = "today {0} + {1} days = {2}")
    @DisplayName("the start offset is configurable and crosses month and year ends")
    @CsvSource({
            "2026-11-25,  0, 2026-11-25",
            "2026-12-20, 14, 2027-01-03",
            "2028-02-20, 14, 2028-03-05",
    })
    void configurableStartOffset(LocalDate today, int offsetDays, LocalDate expected) {
        assertThat(FeeSchedule.parse(SPEC_FEE_TABLE, offsetDays).startDate(today)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a negative start offset is rejected")
    void rejectsNegativeOffset() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FeeSchedule.parse(SPEC_FEE_TABLE, -1))
                .withMessage("start offset must not be negative: -1");
    }

    @Test
    @DisplayName("requireFeesFor accepts the default age range 2..5 against the spec's table")
    void requireFeesForCoveredRange() {
        assertThatNoException().isThrownBy(() -> specSchedule.requireFeesFor(new AgeRange(2, 5)));
        assertThatNoException().isThrownBy(() -> specSchedule.requireFeesFor(new AgeRange(3, 4)));
    }

    @Test
    @DisplayName("requireFeesFor rejects a table with a gap inside the age range")
    void requireFeesForRejectsGap() {
        FeeSchedule withGap = FeeSchedule.parse("2:800,3:750,5:650", TWO_WEEKS);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> withGap.requireFeesFor(new AgeRange(2, 5)))
                .withMessage("the fee table has no fee for age 4, which the age range 2..5 accepts");
    }

    @Test
    @DisplayName("requireFeesFor rejects an age range reaching beyond the table")
    void requireFeesForRejectsRangeBeyondTable() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> specSchedule.requireFeesFor(new AgeRange(1, 5)))
                .withMessage("the fee table has no fee for age 1, which the age range 1..5 accepts");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> specSchedule.requireFeesFor(new AgeRange(2, 6)))
                .withMessage("the fee table has no fee for age 6, which the age range 2..6 accepts");
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @DisplayName("an entry that is not age:fee is rejected, naming the entry")
    @CsvSource(delimiter = '|', value = {
            "2=800                   | fee table entry must be age:fee, got '2=800'",
            "2:800;3:750             | fee table entry must be age:fee, got '2:800;3:750'",
            "2:800:1                 | fee table entry must be age:fee, got '2:800:1'",
            "2:800,,3:750            | fee table entry must be age:fee, got ''",
            "2:                      | fee table entry must be age:fee, got '2:'",
            "''                      | fee table entry must be age:fee, got ''",
    })
    void rejectsEntriesThatAreNotPairs(String table, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FeeSchedule.parse(table, TWO_WEEKS))
                .withMessage(message);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("an age or fee that is not an integer is rejected")
    @ValueSource(strings = {"two:800", "2:eight hundred", ":800", "2:800.50", "2.5:800"})
    void rejectsNonIntegers(String table) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FeeSchedule.parse(table, TWO_WEEKS))
                .isInstanceOf(NumberFormatException.class);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("an empty entry, a repeated age or a negative number is rejected, not silently read")
    @ValueSource(strings = {"2:800,", "2:800,,3:750", "2:800,2:900", "2:-800", "-2:800"})
    void rejectsAmbiguousTables(String table) {
        assertThatIllegalArgumentException().isThrownBy(() -> FeeSchedule.parse(table, TWO_WEEKS));
    }

    @Test
    @DisplayName("the schedule keeps its own copy of the fee map")
    void copiesFeeMap() {
        Map<Integer, Integer> fees = new HashMap<>(Map.of(2, 800));
        FeeSchedule schedule = new FeeSchedule(fees, TWO_WEEKS);

        fees.put(2, 1);
        fees.put(3, 750);

        assertThat(schedule.monthlyFee(2)).hasValue(800);
        assertThat(schedule.monthlyFee(3)).isEmpty();
    }
}
