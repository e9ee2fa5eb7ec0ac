package org.daycare.registration.admin;

import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Header;
import org.daycare.registration.rules.OpeningDays;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.ExecutionQuery;
import org.daycare.registration.store.ExecutionRecord;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.workflow.Executions;

/**
 * Reads executions, their history and the capacity back for the admin endpoints, as records (ExecutionPage,
 * ExecutionDetail, ExecutionHistory, CapacityReport): the admin routes write them as JSON, and the OpenAPI document
 * describes them from the same records.
 */
public final class AdminApi {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    private static final Set<String> STATUSES = Set.of("RUNNING", "SUCCEEDED", "FAILED", "CANCELLED");
    static final int MAX_REASON_LENGTH = 500;
    /** Control characters, C0 and C1, that a rejection's reason may not hold. */
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("[\\p{Cc}]");

    private final JdbcExecutionStore store;
    private final CapacityLedger capacityLedger;
    private final ObjectMapper objectMapper;

    public AdminApi(JdbcExecutionStore store, CapacityLedger capacityLedger, ObjectMapper objectMapper) {
        this.store = store;
        this.capacityLedger = capacityLedger;
        this.objectMapper = objectMapper;
    }

    /** GET /approvals, from what the workflow says waits (Executions#awaitingApproval). */
    public ApprovalQueue approvals(@org.apache.camel.Body List<Executions.Waiting> waitingList) {
        return new ApprovalQueue(waitingList.stream().map(waiting -> new ApprovalQueue.Awaiting(
                waiting.executionId(), waiting.since().toString(), waiting.deadline().toString(),
                waiting.registration().child().firstName(), waiting.registration().child().lastName(),
                waiting.registration().child().age(), waiting.registration().daysOfWeek(),
                waiting.registration().specialInstructions())).toList());
    }

    /** The reason of POST /executions/{id}/reject, onto the exchange: required, at most 500 characters, no controls. */
    public void rejection(org.apache.camel.Exchange exchange) {
        String reason;
        try {
            byte[] body = exchange.getMessage().getBody(byte[].class);
            JsonNode document = body == null || body.length == 0 ? null : objectMapper.readTree(body);
            JsonNode value = document == null ? null : document.path("reason");
            reason = value != null && value.isTextual() ? value.textValue().strip() : null;
        } catch (java.io.IOException notJson) {
            throw new BadQuery("The body must be a JSON object with the reason: {\"reason\": \"...\"}.");
        }
        if (reason == null || reason.isEmpty()) {
            throw new BadQuery("A reason is required: {\"reason\": \"...\"}.");
        }
        if (reason.length() > MAX_REASON_LENGTH || CONTROL.matcher(reason).find()) {
            throw new BadQuery("The reason must be at most " + MAX_REASON_LENGTH + " characters, with no control characters.");
        }
        exchange.setProperty(Executions.REASON, reason);
    }

    /** The largest total PUT /capacity/{day} accepts. */
    static final int MAX_TOTAL = 100_000;
    static final String CAPACITY_DAY = "capacityDay";
    static final String CAPACITY_TOTAL = "capacityTotal";

    /** PUT /capacity/{day}: the day (an English weekday name) and {"total": N}, onto the exchange. */
    public void capacityRequest(org.apache.camel.Exchange exchange) {
        DayOfWeek day = OpeningDays.dayNamed(exchange.getMessage().getHeader("day", String.class))
                .orElseThrow(() -> new BadQuery("day must be an English weekday name, e.g. Monday."));
        JsonNode total;
        try {
            byte[] body = exchange.getMessage().getBody(byte[].class);
            total = body == null || body.length == 0 ? null : objectMapper.readTree(body).path("total");
        } catch (java.io.IOException notJson) {
            total = null;
        }
        if (total == null || !total.isIntegralNumber() || total.asLong() < 0 || total.asLong() > MAX_TOTAL) {
            throw new BadQuery("The body must be {\"total\": N}, N a whole number from 0 to " + MAX_TOTAL + ".");
        }
        exchange.setProperty(CAPACITY_DAY, day);
        exchange.setProperty(CAPACITY_TOTAL, total.intValue());
    }

    /** The answer to PUT /capacity/{day}, or why not: 404 not an opening day, 409 below what is reserved. */
    public CapacityChange capacityChanged(@org.apache.camel.Body Executions.CapacityChange change,
            @org.apache.camel.ExchangeProperty(CAPACITY_DAY) DayOfWeek day) {
        switch (change.outcome()) {
            case NOT_AN_OPENING_DAY -> throw new NotFound("Not an opening day.");
            case BELOW_RESERVED -> throw new BelowReserved();
            default -> {
                CapacityLedger.DayCapacity now = capacityLedger.capacity().get(day);
                return new CapacityChange(OpeningDays.nameOf(day), now.total(), now.reserved(), now.free(),
                        change.promoted());
            }
        }
    }

    /** A total below the spots already reserved (confirmed or held): answered 409. */
    public static final class BelowReserved extends RuntimeException {
        BelowReserved() {
            super("BelowReserved", null, false, false);
        }
    }

    /** GET /waitlist: a page of the waitlist in order. */
    public WaitlistPage waitlist(@Header("limit") String limit, @Header("offset") String offset) {
        int pageSize = pageSize(limit);
        int from;
        try {
            from = offset == null || offset.isBlank() ? 0 : Integer.parseInt(offset.strip());
        } catch (NumberFormatException e) {
            from = -1;
        }
        if (from < 0) {
            throw new BadQuery("offset must be a whole number, 0 or more");
        }
        List<WaitlistPage.Entry> entries = capacityLedger.waitlist(pageSize, from).stream()
                .map(entry -> new WaitlistPage.Entry(entry.executionId(), entry.position(), entry.since().toString(),
                        entry.days().stream().sorted().map(OpeningDays::nameOf).toList()))
                .toList();
        return new WaitlistPage(entries, capacityLedger.waitlistLength());
    }

    /** Approve and cancel take no body: whatever was sent is ignored. */
    public void noBody() {
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

    public ExecutionDetail execution(@Header("id") String executionId) throws JsonProcessingException {
        ExecutionRecord record = store.find(executionId).orElseThrow(() -> new NotFound("No execution " + executionId));
        JsonNode result = record.resultDocument() == null ? null : objectMapper.readTree(record.resultDocument());
        return new ExecutionDetail(record.executionId(), record.status(), record.source(), record.startedAt().toString(),
                stoppedAt(record), record.error(), causeOf(record), objectMapper.readTree(record.inputDocument()), result);
    }

    public ExecutionHistory history(@Header("id") String executionId) {
        store.find(executionId).orElseThrow(() -> new NotFound("No execution " + executionId));
        List<ExecutionHistory.Event> events = store.history(executionId).stream()
                .map(event -> new ExecutionHistory.Event(event.sequenceNumber(), event.stateName(), event.type(),
                        event.occurredAt().toString(), event.statusCode(), event.detail()))
                .toList();
        return new ExecutionHistory(executionId, events);
    }

    public ExecutionPage list(@Header("status") String status, @Header("limit") String limit,
            @Header("nextToken") String nextToken, @Header("childLastName") String childLastName,
            @Header("parentEmail") String parentEmail) {
        if (status != null && !STATUSES.contains(status)) {
            throw new BadQuery("status must be one of RUNNING, SUCCEEDED, FAILED, CANCELLED");
        }
        int pageSize = pageSize(limit);
        // One more than asked tells whether there is a next page without a count query.
        List<ExecutionRecord> page = store.list(new ExecutionQuery(status, blankToNull(childLastName),
                blankToNull(parentEmail), pageSize + 1, position(nextToken)));
        List<ExecutionSummary> executions = page.stream().limit(pageSize).map(AdminApi::summary).toList();
        String next = null;
        if (page.size() > pageSize) {
            ExecutionRecord last = page.get(pageSize - 1);
            next = token(last.startedAt(), last.executionId());
        }
        return new ExecutionPage(executions, next);
    }

    public CapacityReport capacity() {
        List<CapacityReport.Day> days = new ArrayList<>();
        for (Map.Entry<DayOfWeek, CapacityLedger.DayCapacity> day : capacityLedger.capacity().entrySet()) {
            days.add(new CapacityReport.Day(OpeningDays.nameOf(day.getKey()), day.getValue().total(),
                    day.getValue().reserved(), day.getValue().free()));
        }
        return new CapacityReport(days);
    }

    private static ExecutionSummary summary(ExecutionRecord record) {
        return new ExecutionSummary(record.executionId(), record.status(), record.source(), record.startedAt().toString(),
                stoppedAt(record), record.error(), causeOf(record));
    }

    private static String stoppedAt(ExecutionRecord record) {
        return record.stoppedAt() == null ? null : record.stoppedAt().toString();
    }

    /** A cause is only shown with its error. */
    private static String causeOf(ExecutionRecord record) {
        return record.error() == null ? null : record.cause();
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
