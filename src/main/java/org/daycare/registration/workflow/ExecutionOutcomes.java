package org.daycare.registration.workflow;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/** The end states: turn the last task's result into the execution's result document. */
public final class ExecutionOutcomes {

    public ExecutionResult succeeded(@ExchangeProperty(RegistrationStates.EXECUTION_ID) String executionId,
            @Body TaskResult last) {
        return ExecutionResult.succeeded(executionId, last.registration());
    }

    public ExecutionResult failed(@ExchangeProperty(RegistrationStates.EXECUTION_ID) String executionId,
            WorkflowError error, @Body TaskResult last) {
        return ExecutionResult.failed(executionId, error, last.problems());
    }
}
