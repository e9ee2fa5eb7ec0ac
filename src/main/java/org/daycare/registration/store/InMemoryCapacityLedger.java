package org.daycare.registration.store;

import java.time.DayOfWeek;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** Spots counted in memory: correct within one process, forgotten on restart. */
public final class InMemoryCapacityLedger implements CapacityLedger {

    private final Map<DayOfWeek, Integer> totalByDay = new EnumMap<>(DayOfWeek.class);
    private final Map<DayOfWeek, Integer> reservedByDay = new EnumMap<>(DayOfWeek.class);

    public InMemoryCapacityLedger(Set<DayOfWeek> openingDays, int spotsPerDay) {
        if (spotsPerDay < 0) {
            throw new IllegalArgumentException("capacity per day must not be negative: " + spotsPerDay);
        }
        for (DayOfWeek day : openingDays) {
            totalByDay.put(day, spotsPerDay);
            reservedByDay.put(day, 0);
        }
    }

    @Override
    public synchronized boolean hasFreeSpotOnEach(Set<DayOfWeek> days) {
        return days.stream().allMatch(day -> reservedByDay.getOrDefault(day, 0) < totalByDay.getOrDefault(day, 0));
    }

    @Override
    public synchronized boolean reserve(String executionId, Set<DayOfWeek> days) {
        if (!hasFreeSpotOnEach(days)) {
            return false;
        }
        days.forEach(day -> reservedByDay.merge(day, 1, Integer::sum));
        return true;
    }

    @Override
    public synchronized Map<DayOfWeek, DayCapacity> capacity() {
        Map<DayOfWeek, DayCapacity> capacity = new EnumMap<>(DayOfWeek.class);
        totalByDay.forEach((day, total) -> capacity.put(day, new DayCapacity(total, reservedByDay.get(day))));
        return capacity;
    }
}
