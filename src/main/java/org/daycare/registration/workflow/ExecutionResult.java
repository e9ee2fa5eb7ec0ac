package org.daycare.registration.workflow;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import org.daycare.registration.rules.Registration;

/**
 * Where an execution stands: the document HTTP answers, the outbox holds and SNS carries. SUCCEEDED with the output,
 * FAILED with the error and its cause, RUNNING with the state it waits in, CANCELLED. The status token is only in
 * the first answer to the submission (and a replay through its Idempotency-Key), never stored or notified.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"executionId", "status", "state", "position", "output", "error", "cause", "problems", "statusToken"})
@Schema(description = "Where an execution stands: SUCCEEDED with the output, FAILED with the error and its cause (and, for"
        + " InformationIncomplete, every problem), RUNNING with the state it waits in, or CANCELLED.")
public record ExecutionResult(
        @Schema(requiredMode = RequiredMode.REQUIRED, format = "uuid") String executionId,
        @Schema(requiredMode = RequiredMode.REQUIRED) Status status,
        @Schema(description = "the state a RUNNING execution waits in", example = "Await Approval") String state,
        @Schema(description = "Waitlisted only: its place on the waitlist now (1: the next to get a spot)", example = "3")
        Integer position,
        Registration output,
        WorkflowError error,
        String cause,
        @Schema(description = "each problem prefixed by the JSON path of its field") List<String> problems,
        @Schema(description = "the bearer token of GET /registrations/{executionId} and its cancel: in the first answer"
                + " only (and a replay through the same Idempotency-Key)") String statusToken)
        implements ResultDocument {

    public enum Status { SUCCEEDED, FAILED, RUNNING, CANCELLED }

    public static ExecutionResult succeeded(String executionId, Registration output) {
        return new ExecutionResult(executionId, Status.SUCCEEDED, null, null, output, null, null, List.of(), null);
    }

    public static ExecutionResult failed(String executionId, WorkflowError error, List<String> problems) {
        return failed(executionId, error, error.cause(), problems);
    }

    /** A failure whose cause is not the error's own (ApprovalRejected: the director's reason). */
    public static ExecutionResult failed(String executionId, WorkflowError error, String cause, List<String> problems) {
        return new ExecutionResult(executionId, Status.FAILED, null, null, null, error, cause, List.copyOf(problems), null);
    }

    public static ExecutionResult waiting(String executionId, String state) {
        return new ExecutionResult(executionId, Status.RUNNING, state, null, null, null, null, List.of(), null);
    }

    public static ExecutionResult cancelled(String executionId) {
        return new ExecutionResult(executionId, Status.CANCELLED, null, null, null, null, null, List.of(), null);
    }

    /** The same document with the status token, for the first answer only. */
    public ExecutionResult withStatusToken(String token) {
        return new ExecutionResult(executionId, status, state, position, output, error, cause, problems, token);
    }

    /** The same document with the place on the waitlist (null: none to show). */
    public ExecutionResult withPosition(Integer place) {
        return new ExecutionResult(executionId, status, state, place, output, error, cause, problems, statusToken);
    }

    @Override
    public int httpStatus() {
        return httpStatusFor(status, error);
    }

    /** 201 for a confirmation, 202 while waiting, 422 for a workflow failure, 500 only when we failed the client. */
    public static int httpStatusFor(Status status, WorkflowError error) {
        return switch (status) {
            case SUCCEEDED -> 201;
            case RUNNING -> 202;
            case CANCELLED -> 200;
            case FAILED -> error == WorkflowError.InternalError ? 500 : 422;
        };
    }

    @JsonIgnore
    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
