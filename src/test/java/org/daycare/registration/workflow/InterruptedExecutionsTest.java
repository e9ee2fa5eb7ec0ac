package org.daycare.registration.workflow;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.EnumSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import org.daycare.registration.store.CapacityLedger;
import org.daycare.registration.store.ExecutionEvent;
import org.daycare.registration.store.JdbcExecutionStore;
import org.daycare.registration.support.Ledgers;
import org.daycare.registration.support.Registrations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Executions left RUNNING by a crash are resumed (confirmed ones) or closed (the others) by the sweep. */
class InterruptedExecutionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EnumSet<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    private final HikariDataSource database = Ledgers.freshH2();
    private final JdbcExecutionStore store = new JdbcExecutionStore(database);
    private final CapacityLedger ledger = Ledgers.on(database, WEEKDAYS, 5);
    private final Executions executions = new Executions(store, ledger, new ResultDocuments(JSON), JSON, Clock.systemUTC());

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aRunningExecutionThatReservedNothingIsClosedAsInterrupted() throws Exception {
        startedAndLeftRunning("crashed-early", Registrations.FAILURE_CASE);

        assertThat(executions.closeInterrupted(0)).isEqualTo(1);

        var record = store.find("crashed-early").orElseThrow();
        assertThat(record.status()).isEqualTo("FAILED");
        assertThat(record.error()).isEqualTo("ExecutionInterrupted");
        assertThat(JSON.readTree(record.resultDocument()).get("cause").asText()).contains("Submit the registration again");
        assertThat(store.history("crashed-early")).extracting(ExecutionEvent::stateName).containsExactly("Interrupted");
    }

    @Test
    void aRunningExecutionWhoseRegistrationWasConfirmedIsCompletedAsSucceeded() throws Exception {
        String registration = Registrations.successCaseForAnotherChild();
        startedAndLeftRunning("crashed-after-confirm", registration);
        var confirmed = org.daycare.registration.rules.InformationCheck.toRegistration(JSON.readTree(registration))
                .withAge(5).withFeesAndStartDate(650, "2026-12-09");
        ledger.reserve("crashed-after-confirm", WEEKDAYS, confirmed);

        assertThat(executions.closeInterrupted(0)).isEqualTo(1);

        var record = store.find("crashed-after-confirm").orElseThrow();
        assertThat(record.status()).isEqualTo("SUCCEEDED");
        assertThat(JSON.readTree(record.resultDocument()).at("/output/fees").asInt()).isEqualTo(650);
        assertThat(ledger.capacity().get(DayOfWeek.MONDAY).reserved()).isEqualTo(1);
    }

    @Test
    void anInterruptedExecutionOfADroppedFileIsDiscardedForTheFileToRunAgain() throws Exception {
        store.start(new JdbcExecutionStore.NewExecution("crashed-file", "file:waiting.json", Registrations.FAILURE_CASE,
                null, "diallo", null, null, Instant.now().minusSeconds(5)));

        assertThat(executions.closeInterrupted(0)).isEqualTo(1);

        assertThat(store.find("crashed-file")).isEmpty();
    }

    @Test
    void anExecutionStillWithinTheThresholdIsLeftRunning() throws Exception {
        startedAndLeftRunning("still-running", Registrations.FAILURE_CASE);

        assertThat(executions.closeInterrupted(3600)).isZero();

        assertThat(store.find("still-running").orElseThrow().status()).isEqualTo("RUNNING");
    }

    private void startedAndLeftRunning(String executionId, String document) {
        store.start(new JdbcExecutionStore.NewExecution(executionId, "test", document, null, "diallo", null, null,
                Instant.now().minusSeconds(5)));
    }
}
