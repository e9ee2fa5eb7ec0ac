package org.daycare.registration.admin;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** GET /capacity: the spots of each opening day. */
@Schema(description = "Spots per opening day")
public record CapacityReport(@Schema(requiredMode = RequiredMode.REQUIRED) List<Day> days) {

    @Schema(name = "OpeningDayCapacity")
    public record Day(
            @Schema(requiredMode = RequiredMode.REQUIRED) String day,
            @Schema(requiredMode = RequiredMode.REQUIRED) int total,
            @Schema(requiredMode = RequiredMode.REQUIRED) int reserved,
            @Schema(requiredMode = RequiredMode.REQUIRED) int free) {
    }
}
