package org.daycare.registration.family;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Header;
import org.daycare.registration.admin.AdminToken;
import org.daycare.registration.security.StatusTokens;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.ExecutionRecord;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.workflow.ExecutionNotFound;
import org.daycare.registration.workflow.ExecutionResult;
import org.daycare.registration.workflow.Executions;

/**
 * The status link: what a family may read of its own registration, with the status token its first answer gave
 * (or the admin token). Without the right token an execution is as unknown as an id that does not exist: the same
 * 404, so that a stranger learns not even whether an id is in use.
 */
public final class StatusLinks {

    private final JdbcExecutionStore store;
    private final AdminToken adminToken;
    private final CapacityLedger capacityLedger;
    private final ObjectMapper objectMapper;

    public StatusLinks(JdbcExecutionStore store, AdminToken adminToken, CapacityLedger capacityLedger,
            ObjectMapper objectMapper) {
        this.store = store;
        this.adminToken = adminToken;
        this.capacityLedger = capacityLedger;
        this.objectMapper = objectMapper;
    }

    /** The execution the request may see, or ExecutionNotFound. */
    public ExecutionRecord authorize(@Header("executionId") String executionId,
            @Header("Authorization") String authorization) {
        ExecutionRecord record = store.find(executionId).orElseThrow(ExecutionNotFound::new);
        if (!StatusTokens.admits(authorization, record.statusTokenDigest()) && !adminToken.admits(authorization)) {
            throw new ExecutionNotFound();
        }
        return record;
    }

    /**
     * GET /registrations/{executionId}: the execution's document as it stands, {executionId, status, state, output |
     * error and cause}: what the family's own submission was answered, never the token; on the waitlist, with its
     * place now.
     */
    public byte[] status(@Header("executionId") String executionId, @Header("Authorization") String authorization)
            throws java.io.IOException {
        ExecutionRecord record = authorize(executionId, authorization);
        if ("RUNNING".equals(record.status()) && Executions.WAITLISTED_STATE.equals(record.state())) {
            int position = capacityLedger.waitlistPosition(executionId);
            if (position > 0) {
                ExecutionResult waiting = objectMapper.readValue(record.resultDocument(), ExecutionResult.class);
                return objectMapper.writeValueAsBytes(waiting.withPosition(position));
            }
        }
        return record.resultDocument().getBytes(StandardCharsets.UTF_8);
    }
}
