package org.daycare.registration.store;

import java.sql.SQLException;

/** The database could not be reached: the client is asked to retry (503), a dropped file waits in the inbox. */
public final class StoreUnavailableException extends StoreException {

    StoreUnavailableException(SQLException cause) {
        super("database unavailable (SQLState " + cause.getSQLState() + ")", cause);
    }
}
