package org.daycare.registration.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import javax.sql.DataSource;

/** What a test reads straight from the database: the one number a {@code SELECT COUNT(*) ...} answers. */
public final class SqlCount {

    private SqlCount() {
    }

    public static int of(DataSource database, String countQuery, Object... parameters) throws Exception {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(countQuery)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
