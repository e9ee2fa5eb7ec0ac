package org.daycare.registration.observe;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness only (/observe/health/ready): DOWN while no database connection can be had, UP again as soon as one can.
 * Not liveness: a process that cannot reach its database is still alive, and restarting it would not bring the
 * database back (/observe/health/live stays UP). Camel finds it as a bean of the registry.
 *
 * <p>It waits for a connection at most {@code timeout}, well below a probe's own timeout and the pool's wait for
 * requests. The answer carries no error text (the endpoint is public), only the state; the log says what failed.
 */
public final class DatabaseReadiness extends AbstractHealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseReadiness.class);

    private final HikariDataSource dataSource;
    private final Duration timeout;
    private volatile boolean down;

    public DatabaseReadiness(HikariDataSource dataSource, Duration timeout) {
        super("daycare", "database");
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        // the pool tests a connection idle for more than half a second before handing it out: a borrowed one is live
        try (Connection connection = borrow()) {
            if (down) {
                down = false;
                LOG.info("Database reachable again: ready");
            }
            builder.up();
        } catch (SQLException | RuntimeException e) {
            if (!down) {
                down = true;
                LOG.warn("Database unreachable: not ready ({})", e.getClass().getSimpleName());
            }
            builder.down().message("database unreachable");
        }
    }

    /** A connection from the pool, waiting at most the timeout (the pool's own wait is the requests'). */
    private Connection borrow() throws SQLException {
        if (dataSource.getHikariPoolMXBean() instanceof HikariPool pool) {
            return pool.getConnection(timeout.toMillis());
        }
        return dataSource.getConnection(); // the pool is not started yet
    }
}
