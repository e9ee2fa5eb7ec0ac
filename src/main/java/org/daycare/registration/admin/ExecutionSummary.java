package org.daycare.registration.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** An execution as GET /executions lists it: no documents. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An execution, without its documents")
public record ExecutionSummary(
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "uuid") String executionId,
        @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}) String status,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "http, or file:NAME for a dropped file") String source,
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String startedAt,
        @Schema(format = "date-time") String stoppedAt,
        @Schema(description = "a failed execution's error, as in its result") String error,
        String cause) {
}
