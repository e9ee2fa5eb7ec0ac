package org.daycare.registration.store;

import java.sql.SQLException;

/** The database failed or could not be reached; the caller answers 503 rather than guessing. */
public final class StoreException extends RuntimeException {

    public StoreException(SQLException cause) {
        super("database error (SQLState " + cause.getSQLState() + "): " + cause.getMessage(), cause);
    }
}
