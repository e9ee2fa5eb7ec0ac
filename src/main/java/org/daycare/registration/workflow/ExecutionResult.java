package org.daycare.registration.workflow;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.daycare.registration.rules.Registration;

/** How an execution ended: the result document that HTTP answers, the outbox holds and SNS carries. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"executionId", "status", "output", "error", "cause", "problems"})
@Schema(description = "How an execution ended: SUCCEEDED with the output, or FAILED with the error and its cause (and, for"
        + " InformationIncomplete, every problem).")
public record ExecutionResult(
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "uuid") String executionId,
        @Schema(requiredMode = RequiredMode.REQUIRED) Status status,
        Registration output,
        WorkflowError error,
        String cause,
        @Schema(description = "each problem prefixed by the JSON path of its field") List<String> problems)
        implements ResultDocument {

    public enum Status { SUCCEEDED, FAILED }

    public static ExecutionResult succeeded(String executionId, Registration output) {
        return new ExecutionResult(executionId, Status.SUCCEEDED, output, null, null, List.of());
    }

    public static ExecutionResult failed(String executionId, WorkflowError error, List<String> problems) {
        return new ExecutionResult(executionId, Status.FAILED, null, error, error.cause(), List.copyOf(problems));
    }

    @Override
    public int httpStatus() {
        return httpStatusFor(status, error);
    }

    /** 201 for a confirmation, 422 for a workflow failure, 500 only when we failed the client. */
    public static int httpStatusFor(Status status, WorkflowError error) {
        if (status == Status.SUCCEEDED) {
            return 201;
        }
        return error == WorkflowError.InternalError ? 500 : 422;
    }

    @JsonIgnore
    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
