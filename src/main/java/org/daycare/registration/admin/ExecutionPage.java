package org.daycare.registration.admin;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/** One page of GET /executions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A page of executions, newest first")
public record ExecutionPage(
        @Schema(requiredMode = RequiredMode.REQUIRED) List<ExecutionSummary> executions,
        @Schema(description = "present when there is a next page: pass it back as nextToken") String nextToken) {
}
