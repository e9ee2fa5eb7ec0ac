package org.daycare.registration.rules;

import java.time.LocalDate;
import java.time.Period;

/** Check Age Range: the child's age in completed years on a given day must lie within inclusive bounds. */
public record AgeRange(int minimumAge, int maximumAge) {

    public AgeRange {
        if (minimumAge < 0 || maximumAge < minimumAge) {
            throw new IllegalArgumentException(
                    "invalid age range: minimum " + minimumAge + ", maximum " + maximumAge);
        }
    }

    /** Completed years: a child born on 2021-03-27 is 5 on 2026-11-25 and 6 from 2027-03-27. */
    public static int ageOn(LocalDate dateOfBirth, LocalDate today) {
        return Period.between(dateOfBirth, today).getYears();
    }

    public boolean accepts(int age) {
        return age >= minimumAge && age <= maximumAge;
    }
}
