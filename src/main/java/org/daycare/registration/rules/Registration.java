package org.daycare.registration.rules;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A registration as it moves through the workflow: the fields of {@code registration_info}, plus what the
 * states add on the way ({@code child.age} after Check Age Range, {@code fees} and {@code start_date} after
 * Confirm Registration). Serialized as-is, it is the {@code output} of a succeeded execution.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Registration(
        Child child,
        Parents parents,
        List<String> daysOfWeek,
        String specialInstructions,
        Integer fees,
        @JsonProperty("start_date") String startDate) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Child(String firstName, String lastName, String dateOfBirth, Integer age) {

        /**
         * Who the child is, for "one confirmed registration per child": same first name, last name and date of
         * birth, compared without regard to case or surrounding spaces.
         */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String identityKey() {
            return identityKey(firstName, lastName, dateOfBirth);
        }

        public static String identityKey(String firstName, String lastName, String dateOfBirth) {
            return normalized(firstName) + "|" + normalized(lastName) + "|" + dateOfBirth.strip();
        }

        private static String normalized(String name) {
            return name.strip().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Parents(Parent mother, Parent father) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Parent(String firstName, String lastName, String email, String phone) {
    }

    public Registration withAge(int age) {
        Child aged = new Child(child.firstName(), child.lastName(), child.dateOfBirth(), age);
        return new Registration(aged, parents, daysOfWeek, specialInstructions, fees, startDate);
    }

    public Registration withFeesAndStartDate(int monthlyFee, String isoStartDate) {
        return new Registration(child, parents, daysOfWeek, specialInstructions, monthlyFee, isoStartDate);
    }
}
