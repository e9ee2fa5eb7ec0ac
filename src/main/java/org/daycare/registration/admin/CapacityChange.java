package org.daycare.registration.admin;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** PUT /capacity/{day}: the day as it now stands, and the waitlisted registrations the change promoted. */
@Schema(description = "An opening day's spots after a change of its total")
public record CapacityChange(
        @Schema(requiredMode = RequiredMode.REQUIRED) String day,
        @Schema(requiredMode = RequiredMode.REQUIRED) int total,
        @Schema(requiredMode = RequiredMode.REQUIRED) int reserved,
        @Schema(requiredMode = RequiredMode.REQUIRED) int free,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "executions promoted from the waitlist, in order;"
                + " each then runs on to Await Approval or Confirm Registration") List<String> promoted) {

    /** The body of PUT /capacity/{day}. */
    @Schema(name = "CapacityChangeRequest", description = "The day's new total")
    public record Request(@Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0", maximum = "100000") int total) {
    }
}
