package org.daycare.registration.admin;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** GET /waitlist: the waitlisted registrations in order, a page of them. */
@Schema(description = "The waitlist in order: the first is the next to get a spot that fits it")
public record WaitlistPage(
        @Schema(requiredMode = RequiredMode.REQUIRED) List<Entry> waitlist,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "how many wait in all") int length) {

    @Schema(name = "WaitlistEntry")
    public record Entry(
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "uuid") String executionId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "1: the next to get a spot") int position,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time", description = "when it joined")
            String since,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the days it asks for, in week order")
            List<String> days) {
    }
}
