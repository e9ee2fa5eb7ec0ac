package org.daycare.registration.rules;

import java.time.LocalDate;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/** Confirm Registration's pricing: a monthly fee per age, and a start date a fixed number of days ahead. */
public final class FeeSchedule {

    private final Map<Integer, Integer> monthlyFeeByAge;
    private final int startOffsetDays;

    public FeeSchedule(Map<Integer, Integer> monthlyFeeByAge, int startOffsetDays) {
        if (startOffsetDays < 0) {
            throw new IllegalArgumentException("start offset must not be negative: " + startOffsetDays);
        }
        this.monthlyFeeByAge = Map.copyOf(monthlyFeeByAge);
        this.startOffsetDays = startOffsetDays;
    }

    /** Parses {@code 2:800,3:750,4:700,5:650} (age:monthly fee pairs). */
    public static FeeSchedule parse(String ageColonFeePairs, int startOffsetDays) {
        Map<Integer, Integer> fees = new TreeMap<>();
        for (String pair : ageColonFeePairs.split(",", -1)) {
            String[] parts = pair.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("fee table entry must be age:fee, got '" + pair.trim() + "'");
            }
            int age = Integer.parseInt(parts[0].trim());
            int fee = Integer.parseInt(parts[1].trim());
            if (age < 0 || fee < 0) {
                throw new IllegalArgumentException("fee table entry must not be negative, got '" + pair.trim() + "'");
            }
            if (fees.put(age, fee) != null) {
                throw new IllegalArgumentException("fee table gives age " + age + " twice");
            }
        }
        return new FeeSchedule(fees, startOffsetDays);
    }

    public OptionalInt monthlyFee(int age) {
        Integer fee = monthlyFeeByAge.get(age);
        return fee == null ? OptionalInt.empty() : OptionalInt.of(fee);
    }

    public LocalDate startDate(LocalDate today) {
        return today.plusDays(startOffsetDays);
    }

    /** Every age the range accepts must have a fee, or a confirmed registration could not be priced. */
    public void requireFeesFor(AgeRange range) {
        for (int age = range.minimumAge(); age <= range.maximumAge(); age++) {
            if (!monthlyFeeByAge.containsKey(age)) {
                throw new IllegalArgumentException("the fee table has no fee for age " + age
                        + ", which the age range " + range.minimumAge() + ".." + range.maximumAge() + " accepts");
            }
        }
    }
}
