package org.daycare.registration.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The database failed. Its message names only the SQLState: the driver's own message may quote the values of the
 * statement, which hold personal data, so it stays in the cause (logged at DEBUG only).
 */
public class StoreException extends RuntimeException {

    StoreException(String message, SQLException cause) {
        super(message, cause);
    }

    /** The right exception for a failed statement: unavailable when the database could not be reached at all. */
    static StoreException of(SQLException cause) {
        if (isConnectionFailure(cause)) {
            return new StoreUnavailableException(cause);
        }
        return new StoreException("database error (SQLState " + cause.getSQLState() + ")", cause);
    }

    /** SQLState class 08 (connection exception), 57P0x (server shutting down or starting), or the pool's timeout. */
    private static boolean isConnectionFailure(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P0")));
    }
}
