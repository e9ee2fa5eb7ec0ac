package org.daycare.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.daycare.bench.Documents;
import org.daycare.bench.Settings;
import org.daycare.registration.intake.RegistrationDocumentReader;
import org.daycare.registration.rules.AgeRange;
import org.daycare.registration.rules.FeeSchedule;
import org.daycare.registration.rules.InformationCheck;
import org.daycare.registration.rules.OpeningDays;
import org.daycare.registration.workflow.RegistrationStates;
import org.daycare.registration.workflow.TaskResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Figure 2's floor: the same document bytes as the workflow gets, read by the application's
 * {@link RegistrationDocumentReader} (its ObjectMapper settings) and taken through the four tasks of
 * {@link RegistrationStates} (Check Information, Check Age Range, Check Spots Availability, Confirm Registration)
 * as plain Java calls, stopping where the state machine would, on an in-memory capacity ledger: no Camel, no
 * database, no execution record. Same mix and a child of its own per call, as everywhere in the suite.
 */
@State(Scope.Benchmark)
public class RulesBenchmark {

    private RegistrationDocumentReader reader;
    private RegistrationStates states;
    private InMemoryLedger ledger;
    private Clock clock;
    private final AtomicLong counter = new AtomicLong();
    private String prefix;

    @Setup
    public void setUp() {
        // as DaycareConfiguration#objectMapper builds it, with the shipped limits
        ObjectMapper mapper = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(20000).build());
        reader = new RegistrationDocumentReader(mapper, 65536);
        // as DaycareConfiguration#clock builds it with daycare.clock.today pinned
        Clock system = Clock.system(ZoneOffset.UTC);
        LocalDate pinned = LocalDate.parse(Settings.TODAY);
        clock = Clock.offset(system, Duration.between(LocalDate.now(system).atStartOfDay(ZoneOffset.UTC),
                pinned.atStartOfDay(ZoneOffset.UTC)));
        OpeningDays openingDays = OpeningDays.parse("Monday,Tuesday,Wednesday,Thursday,Friday");
        AgeRange ageRange = new AgeRange(2, 5);
        FeeSchedule fees = FeeSchedule.parse("2:800,3:750,4:700,5:650", 14);
        ledger = new InMemoryLedger(Integer.MAX_VALUE);
        states = new RegistrationStates(new InformationCheck(openingDays, clock), ageRange, fees, ledger, clock);
        prefix = "rules" + Long.toString(System.nanoTime(), 36);
    }

    @Benchmark
    public TaskResult fourRules() {
        long n = counter.getAndIncrement();
        byte[] body = Documents.document(prefix, n).getBytes(StandardCharsets.UTF_8);
        JsonNode document = reader.read(body);
        TaskResult result = states.checkInformation(document);
        if (result.statusCode() != TaskResult.OK) {
            return expect(result, n, Documents.Kind.INCOMPLETE);
        }
        result = states.checkAgeRange(result);
        if (result.statusCode() != TaskResult.OK) {
            return expect(result, n, Documents.Kind.INVALID_AGE);
        }
        result = states.checkSpotsAvailability(result, false);
        if (result.statusCode() != TaskResult.OK) {
            throw new IllegalStateException("no spots in the floor's ledger");
        }
        // Confirm Registration's rule, then its reservation in the floor's in-memory ledger (no database)
        TaskResult priced = states.priceRegistration(result);
        ledger.reserve(null, "exec-" + n, RegistrationStates.daysOf(priced.registration()), priced.registration(), "registration-" + n);
        return expect(priced, n, Documents.Kind.SUCCESS);
    }

    private static TaskResult expect(TaskResult result, long n, Documents.Kind kind) {
        if (Documents.kind(n) != kind) {
            throw new IllegalStateException("document " + n + " should be " + Documents.kind(n) + ", ended " + kind);
        }
        return result;
    }
}
