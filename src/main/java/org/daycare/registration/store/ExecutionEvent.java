package org.daycare.registration.store;

import java.time.Instant;

/**
 * A state entered or left, named as in the state machine ("Check Age Range", "Notify Invalid Age"), with the status
 * code it left with and, where that does not say it all, how it ended ("rejected: ...", "timed out").
 */
public record ExecutionEvent(int sequenceNumber, String stateName, Type type, Integer statusCode, String detail,
        Instant occurredAt) {

    public enum Type { ENTERED, EXITED }
}
