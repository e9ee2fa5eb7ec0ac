package org.daycare.registration.rules;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.daycare.registration.support.Registrations;

/**
 * The spec's fixtures as the unit tests use them: its "today" as a pinned clock, the default opening days, and its
 * input document (text in {@link Registrations}) as a mutable Jackson tree.
 */
public final class SpecExamples {

    /** The worked examples' today, 2026-11-25, pinned in UTC. */
    public static final Clock TODAY_CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    public static final LocalDate TODAY = LocalDate.now(TODAY_CLOCK);

    /** The default opening days, Monday to Friday. */
    public static final OpeningDays WEEKDAYS = OpeningDays.parse("Monday,Tuesday,Wednesday,Thursday,Friday");

    public static final ObjectMapper JSON = new ObjectMapper();

    /** The spec's input document, verbatim: the original's "failure case" (born 2016-07-01, age 10 today). */
    public static final String REGISTRATION_DOCUMENT = Registrations.FAILURE_CASE;

    private SpecExamples() {
    }

    /** A fresh, mutable copy of the spec's document. */
    public static ObjectNode registrationDocument() {
        return (ObjectNode) json(REGISTRATION_DOCUMENT);
    }

    /** The spec's document with another date of birth (2021-03-27 is the original's "success case"). */
    public static ObjectNode registrationDocumentBornOn(String dateOfBirth) {
        return (ObjectNode) json(Registrations.forChildBornOn(dateOfBirth));
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON in a test: " + text, e);
        }
    }
}
