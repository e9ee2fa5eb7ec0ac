package org.daycare.registration.workflow;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.daycare.registration.rules.AgeRange;
import org.daycare.registration.rules.FeeSchedule;
import org.daycare.registration.rules.InformationCheck;
import org.daycare.registration.rules.OpeningDays;
import org.daycare.registration.rules.Registration;
import org.daycare.registration.store.CapacityLedger;

/**
 * The four tasks of the state machine, one method each, as the original's four Lambda functions: each takes
 * what the previous state returned and answers a {@link TaskResult}. The routes decide where it goes next.
 */
public final class RegistrationStates {

    public static final String EXECUTION_ID = "executionId";

    private final InformationCheck informationCheck;
    private final AgeRange ageRange;
    private final FeeSchedule feeSchedule;
    private final CapacityLedger capacityLedger;
    private final Clock clock;

    public RegistrationStates(InformationCheck informationCheck, AgeRange ageRange, FeeSchedule feeSchedule,
            CapacityLedger capacityLedger, Clock clock) {
        this.informationCheck = informationCheck;
        this.ageRange = ageRange;
        this.feeSchedule = feeSchedule;
        this.capacityLedger = capacityLedger;
        this.clock = clock;
    }

    /** Check Information: 200 with the registration, or 400 with every problem found. */
    public TaskResult checkInformation(@Body JsonNode document) {
        var problems = informationCheck.problemsIn(document);
        return problems.isEmpty()
                ? TaskResult.ok(InformationCheck.toRegistration(document))
                : TaskResult.incomplete(problems);
    }

    /** Check Age Range: adds {@code child.age}; 400 when the age is outside the accepted range. */
    public TaskResult checkAgeRange(@Body TaskResult previous) {
        Registration registration = previous.registration();
        int age = AgeRange.ageOn(LocalDate.parse(registration.child().dateOfBirth()), LocalDate.now(clock));
        Registration aged = registration.withAge(age);
        return ageRange.accepts(age) ? TaskResult.ok(aged) : TaskResult.rejected(aged);
    }

    /**
     * Check Spots Availability: 400 when any requested day is already full; 200 at once for a registration promoted
     * from the waitlist, whose spots were held for it when it was promoted ({@code spotsHeld}).
     */
    public TaskResult checkSpotsAvailability(@Body TaskResult previous,
            @ExchangeProperty(Executions.SPOTS_HELD) Boolean spotsHeld) {
        Registration registration = previous.registration();
        return Boolean.TRUE.equals(spotsHeld) || capacityLedger.hasFreeSpotOnEach(daysOf(registration))
                ? TaskResult.ok(registration)
                : TaskResult.rejected(registration);
    }

    /**
     * Confirm Registration, its rule: the monthly fee for the child's age and the start date. The registration is
     * then confirmed with its spots by the workflow engine ({@link Executions#confirm}), the execution's durable
     * point, in the same route.
     */
    public TaskResult priceRegistration(@Body TaskResult previous) {
        Registration registration = previous.registration();
        int age = registration.child().age();
        int monthlyFee = feeSchedule.monthlyFee(age).orElseThrow(
                () -> new IllegalStateException("no fee configured for age " + age));
        String startDate = feeSchedule.startDate(LocalDate.now(clock)).toString();
        return TaskResult.ok(registration.withFeesAndStartDate(monthlyFee, startDate));
    }

    /** The opening days a registration asks for (names already checked by Check Information). */
    public static Set<DayOfWeek> daysOf(Registration registration) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        registration.daysOfWeek().forEach(name -> days.add(OpeningDays.dayNamed(name).orElseThrow()));
        return days;
    }
}
