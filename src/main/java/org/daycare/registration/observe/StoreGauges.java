package org.daycare.registration.observe;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import org.daycare.registration.rules.OpeningDays;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.CapacityLedger.DayCapacity;
import org.daycare.registration.store.NotificationOutbox;
import org.daycare.registration.store.NotificationOutbox.Backlog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges read from the database, at scrape time: spots per opening day (capacity and reserved) and the
 * notification outbox's backlog (how many wait, and how long the oldest has waited).
 *
 * <p>A collector of the Prometheus registry rather than Micrometer gauges: Micrometer reads each gauge on its own,
 * which would be a query per day and per figure; this reads them together, two small queries per scrape (the
 * five-row day_capacity table, and the pending rows of the outbox through their index), and is always current.
 * When the database is unreachable a scrape still answers, with these gauges NaN (after at most one connection
 * wait). With several instances on one database every instance reports the same figures: aggregate with max, not sum.
 */
public final class StoreGauges implements MultiCollector {

    static final String SPOTS_CAPACITY = "daycare_spots_capacity";
    static final String SPOTS_RESERVED = "daycare_spots_reserved";
    static final String NOTIFICATIONS_PENDING = "daycare_notifications_pending";
    static final String OLDEST_PENDING_AGE = "daycare_notifications_oldest_pending_age_seconds";
    static final String WAITLIST_LENGTH = "daycare_waitlist_length";

    private static final Logger LOG = LoggerFactory.getLogger(StoreGauges.class);

    private final CapacityLedger capacityLedger;
    private final NotificationOutbox outbox;
    private final OpeningDays openingDays;
    private final Clock clock;

    /** @param clock the clock the outbox's created_at is written with */
    public StoreGauges(CapacityLedger capacityLedger, NotificationOutbox outbox, OpeningDays openingDays, Clock clock) {
        this.capacityLedger = capacityLedger;
        this.outbox = outbox;
        this.openingDays = openingDays;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        Map<DayOfWeek, DayCapacity> capacity = null;
        Backlog backlog = null;
        double waitlisted = Double.NaN;
        try {
            capacity = capacityLedger.capacity();
            backlog = outbox.backlog();
            waitlisted = capacityLedger.waitlistLength();
        } catch (RuntimeException unreachable) {
            // the scrape goes on without them; readiness (DatabaseReadiness) reports the outage
            LOG.debug("Database gauges not read: {}", unreachable.getClass().getSimpleName());
        }
        GaugeSnapshot.Builder spotsCapacity = GaugeSnapshot.builder().name(SPOTS_CAPACITY)
                .help("Spots of an opening day");
        GaugeSnapshot.Builder spotsReserved = GaugeSnapshot.builder().name(SPOTS_RESERVED)
                .help("Spots of an opening day taken by confirmed registrations, or held for ones awaiting approval");
        for (DayOfWeek day : openingDays.days()) {
            DayCapacity spots = capacity == null ? null : capacity.get(day);
            Labels labels = Labels.of("day", OpeningDays.nameOf(day));
            spotsCapacity.dataPoint(point(labels, spots == null ? Double.NaN : spots.total()));
            spotsReserved.dataPoint(point(labels, spots == null ? Double.NaN : spots.reserved()));
        }
        double pending = backlog == null ? Double.NaN : backlog.pending();
        double oldestAge = backlog == null ? Double.NaN
                : backlog.oldestCreatedAt() == null ? 0
                : Math.max(0, Duration.between(backlog.oldestCreatedAt(), clock.instant()).toMillis() / 1000.0);
        return MetricSnapshots.of(spotsCapacity.build(), spotsReserved.build(),
                GaugeSnapshot.builder().name(NOTIFICATIONS_PENDING)
                        .help("Outcome notifications written and not yet published")
                        .dataPoint(point(Labels.EMPTY, pending)).build(),
                GaugeSnapshot.builder().name(OLDEST_PENDING_AGE).unit(Unit.SECONDS)
                        .help("How long the oldest unpublished notification has waited (0 when none waits)")
                        .dataPoint(point(Labels.EMPTY, oldestAge)).build(),
                GaugeSnapshot.builder().name(WAITLIST_LENGTH)
                        .help("Registrations waiting on the waitlist")
                        .dataPoint(point(Labels.EMPTY, waitlisted)).build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(SPOTS_CAPACITY, SPOTS_RESERVED, NOTIFICATIONS_PENDING, OLDEST_PENDING_AGE, WAITLIST_LENGTH);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
