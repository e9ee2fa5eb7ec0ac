package org.daycare.registration.family;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Header;
import org.daycare.registration.admin.AdminToken;
import org.daycare.registration.security.StatusTokens;
import org.daycare.registration.store.ExecutionRecord;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.workflow.ExecutionNotFound;

/**
 * The status link: what a family may read of its own registration, with the status token its first answer gave
 * (or the admin token). Without the right token an execution is as unknown as an id that does not exist: the same
 * 404, so that a stranger learns not even whether an id is in use.
 */
public final class StatusLinks {

    private final JdbcExecutionStore store;
    private final AdminToken adminToken;

    public StatusLinks(JdbcExecutionStore store, AdminToken adminToken) {
        this.store = store;
        this.adminToken = adminToken;
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
     * error and cause}: what the family's own submission was answered, never the token.
     */
    public byte[] status(@Header("executionId") String executionId, @Header("Authorization") String authorization) {
        return authorize(executionId, authorization).resultDocument().getBytes(StandardCharsets.UTF_8);
    }
}
