package org.daycare.registration.admin;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Header;
import org.daycare.registration.rules.OpeningDays;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.ExecutionEvent;
import org.daycare.registration.store.ExecutionQuery;
import org.daycare.registration.store.ExecutionRecord;
import org.daycare.registration.store.JdbcExecutionStore;

/** Reads executions, their history and the capacity back as JSON documents for the admin endpoints. */
public final class AdminApi {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    private static final Set<String> STATUSES = Set.of("RUNNING", "SUCCEEDED", "FAILED");

    private final JdbcExecutionStore store;
    private final CapacityLedger capacityLedger;
    private final ObjectMapper objectMapper;

    public AdminApi(JdbcExecutionStore store, CapacityLedger capacityLedger, ObjectMapper objectMapper) {
        this.store = store;
        this.capacityLedger = capacityLedger;
        this.objectMapper = objectMapper;
    }

    /** Thrown for an unknown execution id: answered 404. */
    public static final class NotFound extends RuntimeException {
        NotFound(String what) {
            super(what, null, false, false);
        }
    }

    /** Thrown for a query the client got wrong: answered 400 with the message. */
    public static final class BadQuery extends RuntimeException {
        BadQuery(String message) {
            super(message, null, false, false);
        }
    }

    public ObjectNode execution(@Header("id") String executionId) throws JsonProcessingException {
        ExecutionRecord record = store.find(executionId).orElseThrow(() -> new NotFound("No execution " + executionId));
        ObjectNode execution = summary(record);
        execution.set("input", objectMapper.readTree(record.inputDocument()));
        if (record.resultDocument() != null) {
            execution.set("result", objectMapper.readTree(record.resultDocument()));
        }
        return execution;
    }

    public ObjectNode history(@Header("id") String executionId) {
        store.find(executionId).orElseThrow(() -> new NotFound("No execution " + executionId));
        ObjectNode history = objectMapper.createObjectNode().put("executionId", executionId);
        ArrayNode events = history.putArray("events");
        for (ExecutionEvent event : store.history(executionId)) {
            ObjectNode node = events.addObject()
                    .put("sequence", event.sequenceNumber())
                    .put("state", event.stateName())
                    .put("type", event.type().name())
                    .put("timestamp", event.occurredAt().toString());
            if (event.statusCode() != null) {
                node.put("statusCode", event.statusCode());
            }
        }
        return history;
    }

    public ObjectNode list(@Header("status") String status, @Header("limit") String limit,
            @Header("nextToken") String nextToken, @Header("childLastName") String childLastName,
            @Header("parentEmail") String parentEmail) {
        if (status != null && !STATUSES.contains(status)) {
            throw new BadQuery("status must be one of RUNNING, SUCCEEDED, FAILED");
        }
        int pageSize = pageSize(limit);
        // One more than asked tells whether there is a next page without a count query.
        List<ExecutionRecord> page = store.list(new ExecutionQuery(status, blankToNull(childLastName),
                blankToNull(parentEmail), pageSize + 1, position(nextToken)));
        ObjectNode answer = objectMapper.createObjectNode();
        ArrayNode executions = answer.putArray("executions");
        page.stream().limit(pageSize).forEach(record -> executions.add(summary(record)));
        if (page.size() > pageSize) {
            ExecutionRecord last = page.get(pageSize - 1);
            answer.put("nextToken", token(last.startedAt(), last.executionId()));
        }
        return answer;
    }

    public ObjectNode capacity() {
        ObjectNode answer = objectMapper.createObjectNode();
        ArrayNode days = answer.putArray("days");
        for (Map.Entry<DayOfWeek, CapacityLedger.DayCapacity> day : capacityLedger.capacity().entrySet()) {
            days.addObject()
                    .put("day", OpeningDays.nameOf(day.getKey()))
                    .put("total", day.getValue().total())
                    .put("reserved", day.getValue().reserved())
                    .put("free", day.getValue().free());
        }
        return answer;
    }

    private ObjectNode summary(ExecutionRecord record) {
        ObjectNode node = objectMapper.createObjectNode()
                .put("executionId", record.executionId())
                .put("status", record.status())
                .put("source", record.source())
                .put("startedAt", record.startedAt().toString());
        if (record.stoppedAt() != null) {
            node.put("stoppedAt", record.stoppedAt().toString());
        }
        if (record.error() != null) {
            node.put("error", record.error()).put("cause", record.cause());
        }
        return node;
    }

    private static int pageSize(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int size = Integer.parseInt(limit.strip());
            if (size >= 1 && size <= MAX_PAGE_SIZE) {
                return size;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new BadQuery("limit must be a whole number from 1 to " + MAX_PAGE_SIZE);
    }

    /** The next page starts after this execution: its start time and id, opaque to clients. */
    static String token(Instant startedAt, String executionId) {
        String position = startedAt.getEpochSecond() + "." + startedAt.getNano() + "|" + executionId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    private static ExecutionQuery.PagePosition position(String nextToken) {
        if (nextToken == null || nextToken.isBlank()) {
            return null;
        }
        try {
            String position = new String(Base64.getUrlDecoder().decode(nextToken.strip()), StandardCharsets.UTF_8);
            String[] parts = position.split("\\|", 2);
            String[] time = parts[0].split("\\.", 2);
            return new ExecutionQuery.PagePosition(
                    Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1])), parts[1]);
        } catch (RuntimeException malformed) {
            throw new BadQuery("nextToken is not one this service issued");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.toLowerCase(Locale.ROOT);
    }
}
