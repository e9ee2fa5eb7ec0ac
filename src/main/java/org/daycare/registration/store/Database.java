package org.daycare.registration.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** Opens the connection pool and brings the schema up to date; the same migrations serve H2 and PostgreSQL. */
public final class Database {

    private Database() {
    }

    /**
     * {@code connectionTimeoutMillis} is how long a request waits for a connection before the database counts as
     * unreachable and the client gets 503 (HikariCP's own default, 30 s, would hold every request that long).
     */
    public static HikariDataSource open(String jdbcUrl, String user, String password, int poolSize,
            long connectionTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("daycare-db");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(true);
        config.setConnectionTimeout(connectionTimeoutMillis);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }
}
