package org.daycare.registration.rules;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AccessMode;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * A registration as it moves through the workflow: the fields of {@code registration_info}, plus what the
 * states add on the way ({@code child.age} after Check Age Range, {@code fees} and {@code start_date} after
 * Confirm Registration). Serialized as-is, it is the {@code output} of a succeeded execution.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "What registration_info holds in a request, and the output of a confirmed registration, which adds"
        + " the read-only fields. Check Information's rules (lengths, characters, opening days) are in the README; a"
        + " document that breaks them ends InformationIncomplete with every problem listed.")
public record Registration(
        @Schema(requiredMode = RequiredMode.REQUIRED) Child child,
        @Schema(requiredMode = RequiredMode.REQUIRED) Parents parents,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "opening days, in English (Monday to Friday by default),"
                + " at most 7") List<String> daysOfWeek,
        String specialInstructions,
        @Schema(accessMode = AccessMode.READ_ONLY, description = "monthly fee") Integer fees,
        @Schema(accessMode = AccessMode.READ_ONLY, format = "date") @JsonProperty("start_date") String startDate) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Child(
            @Schema(requiredMode = RequiredMode.REQUIRED) String firstName,
            @Schema(requiredMode = RequiredMode.REQUIRED) String lastName,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date") String dateOfBirth,
            @Schema(accessMode = AccessMode.READ_ONLY, description = "completed years") Integer age) {

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
    @Schema(description = "at least one parent")
    public record Parents(Parent mother, Parent father) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "an email or a phone, or both")
    public record Parent(
            @Schema(requiredMode = RequiredMode.REQUIRED) String firstName,
            @Schema(requiredMode = RequiredMode.REQUIRED) String lastName,
            String email,
            String phone) {
    }

    public Registration withAge(int age) {
        Child aged = new Child(child.firstName(), child.lastName(), child.dateOfBirth(), age);
        return new Registration(aged, parents, daysOfWeek, specialInstructions, fees, startDate);
    }

    public Registration withFeesAndStartDate(int monthlyFee, String isoStartDate) {
        return new Registration(child, parents, daysOfWeek, specialInstructions, monthlyFee, isoStartDate);
    }
}
