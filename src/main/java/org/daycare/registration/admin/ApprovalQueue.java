package org.daycare.registration.admin;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** GET /approvals: what waits for the director, oldest first. */
@Schema(description = "Registrations awaiting approval, oldest first")
public record ApprovalQueue(@Schema(requiredMode = RequiredMode.REQUIRED) List<Awaiting> approvals) {

    @Schema(description = "One registration awaiting approval")
    public record Awaiting(
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "uuid") String executionId,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time", description = "when it was submitted")
            String since,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time", description = "when it times out")
            String deadline,
            @Schema(requiredMode = RequiredMode.REQUIRED) String childFirstName,
            @Schema(requiredMode = RequiredMode.REQUIRED) String childLastName,
            @Schema(requiredMode = RequiredMode.REQUIRED) Integer childAge,
            @Schema(requiredMode = RequiredMode.REQUIRED) List<String> daysOfWeek,
            String specialInstructions) {
    }
}
