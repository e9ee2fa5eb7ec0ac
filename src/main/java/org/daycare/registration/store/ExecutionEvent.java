package org.daycare.registration.store;

import java.time.Instant;

/** A state entered or left, named as in the state machine ("Check Age Range", "Notify Invalid Age"). */
public record ExecutionEvent(int sequenceNumber, String stateName, Type type, Integer statusCode, Instant occurredAt) {

    public enum Type { ENTERED, EXITED }
}
