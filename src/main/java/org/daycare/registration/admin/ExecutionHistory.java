package org.daycare.registration.admin;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.daycare.registration.store.ExecutionEvent;

/** GET /executions/{id}/history: every state the execution entered and left, in order. */
@Schema(description = "Every state an execution entered and left, in order")
public record ExecutionHistory(
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "uuid") String executionId,
        @Schema(requiredMode = RequiredMode.REQUIRED) List<Event> events) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "HistoryEvent")
    public record Event(
            @Schema(requiredMode = RequiredMode.REQUIRED) int sequence,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the state's name, as in the state machine")
            String state,
            @Schema(requiredMode = RequiredMode.REQUIRED) ExecutionEvent.Type type,
            @Schema(requiredMode = RequiredMode.REQUIRED, format = "date-time") String timestamp,
            @Schema(description = "the task's statusCode, on EXITED") Integer statusCode,
            @Schema(description = "how a waiting state ended: approved, rejected (with the reason), timed out, cancelled")
            String detail) {
    }
}
