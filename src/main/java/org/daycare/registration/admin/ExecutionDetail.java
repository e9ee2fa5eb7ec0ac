package org.daycare.registration.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.daycare.registration.workflow.ExecutionResult;

/** One execution as GET /executions/{id} reads it back: its summary, the document it was given, the result it answered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An execution with the document it was given and the result it answered")
public record ExecutionDetail(
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "uuid") String executionId,
        @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}) String status,
        @Schema(requiredMode = RequiredMode.REQUIRED, description = "http, or file:NAME for a dropped file") String source,
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String startedAt,
        @Schema(format = "date-time") String stoppedAt,
        @Schema(description = "a failed execution's error, as in its result") String error,
        String cause,
        @Schema(requiredMode = RequiredMode.REQUIRED, implementation = Object.class, description = "the document submitted")
        JsonNode input,
        @Schema(implementation = ExecutionResult.class, description = "the result, once the execution ended")
        JsonNode result) {
}
