package org.daycare.registration.intake;

import io.swagger.v3.oas.annotations.media.Schema;
import org.daycare.registration.workflow.ExecutionResult;

/** What a 422 answer holds, for the OpenAPI document only: a FAILED execution, or a reused Idempotency-Key refused. */
@Schema(description = "A FAILED execution, or IdempotencyKeyReused", anyOf = {ExecutionResult.class, RejectedRequest.class})
public interface UnprocessableAnswer {
}
