package org.daycare.registration.store;

import java.time.Instant;

/** An execution as stored: what GET /executions/{id} shows. The documents are JSON text. */
public record ExecutionRecord(
        String executionId,
        String status,
        String source,
        String inputDocument,
        /** DocumentDigest of the input document: a repeated Idempotency-Key is only replayed for the same one. */
        String requestDigest,
        String resultDocument,
        String error,
        String cause,
        Instant startedAt,
        Instant stoppedAt,
        /** The state a RUNNING execution waits in, and until when; null once it ended. */
        String state,
        Instant deadlineAt,
        /** SHA-256 (hex) of the execution's status token. */
        String statusTokenDigest) {
}
