package org.daycare.registration.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.daycare.registration.rules.SpecExamples.TODAY;

import java.time.LocalDate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Check Age Range: AgeRange")
class AgeRangeTest {

    private static final AgeRange DEFAULT_RANGE = new AgeRange(2, 5);

    @ParameterizedTest(name = "born {0}: age {1} on 2026-11-25, accepted = {2}")
    @DisplayName("the spec's worked examples (today = 2026-11-25, range 2..5)")
    @CsvSource({
            "2016-07-01, 10, false",
            "2021-03-27,  5, true",
            "2023-11-25,  3, true",
            "2023-11-26,  2, true",
            "2024-11-26,  1, false",
            "2021-11-25,  5, true",
            "2020-11-25,  6, false",
    })
    void workedExamples(LocalDate dateOfBirth, int expectedAge, boolean expectedAccepted) {
        int age = AgeRange.ageOn(dateOfBirth, TODAY);

        assertThat(age).isEqualTo(expectedAge);
        assertThat(DEFAULT_RANGE.accepts(age)).isEqualTo(expectedAccepted);
    }

    @ParameterizedTest(name = "age {0} accepted = {1}")
    @DisplayName("both bounds of the default range 2..5 are inclusive")
    @CsvSource({"0, false", "1, false", "2, true", "3, true", "4, true", "5, true", "6, false", "10, false"})
    void boundsAreInclusive(int age, boolean accepted) {
        assertThat(DEFAULT_RANGE.accepts(age)).isEqualTo(accepted);
    }

    @ParameterizedTest(name = "on {0} the child born 2021-03-27 is {1}")
    @DisplayName("age is in completed years: the 2021-03-27 child is 5 until the day before its sixth birthday")
    @CsvSource({
            "2026-11-25, 5",
            "2027-03-26, 5",
            "2027-03-27, 6",
    })
    void childBornOn20210327(LocalDate today, int expectedAge) {
        assertThat(AgeRange.ageOn(LocalDate.of(2021, 3, 27), today)).isEqualTo(expectedAge);
    }

    @Test
    @DisplayName("the 2021-03-27 child (the original's success case) is rejected from its sixth birthday on")
    void successCaseExpiresOnSixthBirthday() {
        LocalDate born = LocalDate.of(2021, 3, 27);

        assertThat(DEFAULT_RANGE.accepts(AgeRange.ageOn(born, TODAY))).isTrue();
        assertThat(DEFAULT_RANGE.accepts(AgeRange.ageOn(born, LocalDate.of(2027, 3, 27)))).isFalse();
    }

    @ParameterizedTest(name = "born {0}, on {1}: age {2}")
    @DisplayName("a leap-day birthday completes a year on 1 March in common years, on 29 February in leap years")
    @CsvSource({
            "2024-02-29, 2025-02-28, 0",
            "2024-02-29, 2025-03-01, 1",
            "2024-02-29, 2026-02-28, 1",
            "2024-02-29, 2026-03-01, 2",
            "2024-02-29, 2026-11-25, 2",
            "2020-02-29, 2024-02-28, 3",
            "2020-02-29, 2024-02-29, 4",
            "2020-02-29, 2026-11-25, 6",
    })
    void leapDayBirthdays(LocalDate dateOfBirth, LocalDate today, int expectedAge) {
        assertThat(AgeRange.ageOn(dateOfBirth, today)).isEqualTo(expectedAge);
    }

    @Test
    @DisplayName("a child born today is 0")
    void bornToday() {
        assertThat(AgeRange.ageOn(TODAY, TODAY)).isZero();
    }

    @Test
    @DisplayName("both bounds are configurable, and a single-age range is allowed")
    void configurableBounds() {
        AgeRange threeToFour = new AgeRange(3, 4);
        assertThat(threeToFour.accepts(2)).isFalse();
        assertThat(threeToFour.accepts(3)).isTrue();
        assertThat(threeToFour.accepts(4)).isTrue();
        assertThat(threeToFour.accepts(5)).isFalse();

        AgeRange onlyZero = new AgeRange(0, 0);
        assertThat(onlyZero.accepts(0)).isTrue();
        assertThat(onlyZero.accepts(1)).isFalse();
    }

    @ParameterizedTest(name = "minimum {0}, maximum {1}")
    @DisplayName("the constructor rejects a negative minimum or a maximum below the minimum")
    @CsvSource({"-1, 5", "-3, -1", "5, 2", "3, 2"})
    void rejectsInvalidRanges(int minimum, int maximum) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new AgeRange(minimum, maximum))
                .withMessage("invalid age range: minimum " + minimum + ", maximum " + maximum);
    }
}
