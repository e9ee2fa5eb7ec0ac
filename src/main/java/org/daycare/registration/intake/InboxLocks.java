package org.daycare.registration.intake;

import java.io.File;
import java.sql.Timestamp;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;

/**
 * The file drop's read locks, in the database every instance shares, so that instances polling one inbox never take
 * the same file: camel-sql's JDBC message-id repository (its table CAMEL_MESSAGEPROCESSED and its statements) behind
 * the file consumer's idempotent read lock. A lock is a row keyed by the file's absolute path; the primary key lets
 * one instance insert it. Its holder refreshes it every keep-alive interval until it releases it; a row left
 * unrefreshed for the max age was held by an instance that died, and is taken over.
 *
 * <p>Camel's JdbcOrphanLockAwareIdempotentRepository has this design, but in 4.17: finding a row, be it expired or
 * inserted by another instance a moment before, it refreshes that row and takes the lock too (two instances sharing
 * an inbox answered 18 of 1,000 files twice with it); a lock it took over is never refreshed; a lock whose release
 * failed (the database unreachable when a drop is rolled back) is refreshed on, so no instance takes that file again;
 * and a lost connection can end its keep-alive for good (see {@link #refreshHeldLocks}). Here a takeover deletes the
 * expired row and inserts a new one like any new lock, so the primary key admits one instance; and a lock stops being
 * refreshed when it is released, whether or not the release reached the database: an unreleased row then expires like
 * a dead instance's, and any instance takes the file again.
 *
 * <p>Nothing here logs a file's name or path: a dropped file is named by its {@link DropReference}.
 */
public class InboxLocks extends JdbcMessageIdRepository implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(InboxLocks.class);
    private static final String PROCESSOR_NAME = "daycare-inbox";
    private static final String DELETE_EXPIRED =
            "DELETE FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ? AND messageId = ? AND createdAt < ?";
    private static final String REFRESH =
            "UPDATE CAMEL_MESSAGEPROCESSED SET createdAt = ? WHERE processorName = ? AND messageId = ?";

    private final long maxAgeMillis;
    private final long keepAliveMillis;
    /** The locks this instance holds: only these are refreshed, and only these may be released by it. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private CamelContext camelContext;
    private ScheduledExecutorService keepAlive;

    public InboxLocks(DataSource dataSource, long maxAgeMillis, long keepAliveMillis) {
        super(dataSource, PROCESSOR_NAME);
        if (keepAliveMillis <= 0 || maxAgeMillis <= keepAliveMillis) {
            throw new IllegalArgumentException("daycare.inbox.lock-max-age-ms (" + maxAgeMillis + ") must exceed"
                    + " daycare.inbox.lock-keep-alive-ms (" + keepAliveMillis + "), which must be positive");
        }
        this.maxAgeMillis = maxAgeMillis;
        this.keepAliveMillis = keepAliveMillis;
        // the table is Flyway's (db/migration), like every other one
        setCreateTableIfNotExists(false);
    }

    /** Takes the lock unless another instance holds it; false also while the database cannot be reached. */
    @Override
    public boolean add(String key) {
        try {
            if (super.add(key)) {
                held.add(key);
                return true;
            }
            LOG.debug("The dropped file {} is locked by another instance", reference(key));
        } catch (DuplicateKeyException | ConcurrencyFailureException lockedMeanwhile) {
            LOG.debug("The dropped file {} was locked by another instance at the same moment", reference(key));
        } catch (RuntimeException unreachable) {
            // A lock that may have been written without this instance knowing is not held, so it expires.
            LOG.warn("The dropped file {} stays in the inbox: it could not be locked ({})", reference(key),
                    unreachable.getClass().getName());
        }
        return false;
    }

    /**
     * Releases a lock this instance holds; any other key is left alone (Camel 4.17's file consumer, unless
     * idempotentEager=false, also calls this for the files it could not lock: those another instance is answering).
     */
    @Override
    public boolean remove(String key) {
        if (!held.contains(key)) {
            return false;
        }
        try {
            return super.remove(key);
        } catch (RuntimeException unreachable) {
            LOG.warn("The lock on the dropped file {} could not be released ({}): it expires after {} ms, then any"
                    + " instance takes the file again if it is still in the inbox", reference(key),
                    unreachable.getClass().getName(), maxAgeMillis);
            return false;
        } finally {
            held.remove(key);
        }
    }

    /** A lock counts only while fresh: one left unrefreshed for the max age is free to take over. */
    @Override
    protected int queryForInt(String key) {
        return jdbcTemplate.queryForObject(getQueryString() + " AND createdAt >= ?", Integer.class, processorName, key,
                expiry());
    }

    /**
     * A new lock. An expired row of the same key is deleted first, in the same transaction: of two instances
     * taking over one expired lock, the second finds the row gone and its insert refused by the primary key.
     */
    @Override
    protected int insert(String key) {
        if (jdbcTemplate.update(DELETE_EXPIRED, processorName, key, expiry()) > 0) {
            LOG.info("The lock on the dropped file {} had expired (its holder stopped, or could not release it):"
                    + " taken over", reference(key));
        }
        return super.insert(key);
    }

    private void refreshHeldLocks() {
        if (held.isEmpty()) {
            return;
        }
        Timestamp now = new Timestamp(System.currentTimeMillis());
        // One statement each (an instance holds about one lock at a time): a JDBC batch cut by a lost connection
        // makes PostgreSQL's driver (42.7) throw an AssertionError, which would end this schedule for good.
        for (String key : held) {
            try {
                jdbcTemplate.update(REFRESH, now, processorName, key);
            } catch (RuntimeException unreachable) {
                LOG.warn("The lock on the dropped file {} could not be refreshed ({}): another instance takes it over"
                        + " if it is not refreshed within {} ms", reference(key), unreachable.getClass().getName(),
                        maxAgeMillis);
            }
        }
    }

    private Timestamp expiry() {
        return new Timestamp(System.currentTimeMillis() - maxAgeMillis);
    }

    private static String reference(String key) {
        return DropReference.of(key.substring(key.lastIndexOf(File.separatorChar) + 1));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        keepAlive = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "InboxLocksKeepAlive");
        keepAlive.scheduleWithFixedDelay(this::refreshHeldLocks, keepAliveMillis, keepAliveMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (keepAlive != null) {
            camelContext.getExecutorServiceManager().shutdown(keepAlive);
            keepAlive = null;
        }
        super.doStop();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }
}
