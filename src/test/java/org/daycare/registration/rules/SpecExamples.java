package org.daycare.registration.rules;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fixtures taken from docs/workflow-spec.md, shared by the unit tests: its input document and its "today". */
public final class SpecExamples {

    /** The worked examples' today, 2026-11-25, pinned in UTC. */
    public static final Clock TODAY_CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    public static final LocalDate TODAY = LocalDate.now(TODAY_CLOCK);

    /** The default opening days, Monday to Friday. */
    public static final OpeningDays WEEKDAYS = OpeningDays.parse("Monday,Tuesday,Wednesday,Thursday,Friday");

    public static final ObjectMapper JSON = new ObjectMapper();

    /** The spec's input document, verbatim: the original's "failure case" (born 2016-07-01, age 10 today). */
    public static final String REGISTRATION_DOCUMENT = """
            {
              "registration_info": {
                "child": { "firstName": "Mohamed", "lastName": "Diallo", "dateOfBirth": "2016-07-01" },
                "parents": {
                  "mother": { "firstName": "Aicha", "lastName": "Cisse",
                              "email": "aicha.cisse@example.com", "phone": "123-456-7890" },
                  "father": { "firstName": "Ibrahim", "lastName": "Diallo",
                              "email": "ibrahim.diallo@example.com", "phone": "098-765-4321" }
                },
                "daysOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                "specialInstructions": "Mohamed has a peanut allergy."
              }
            }
            """;

    private SpecExamples() {
    }

    /** A fresh, mutable copy of the spec's document. */
    public static ObjectNode registrationDocument() {
        return (ObjectNode) json(REGISTRATION_DOCUMENT);
    }

    /** The spec's document with another date of birth (2021-03-27 is the original's "success case"). */
    public static ObjectNode registrationDocumentBornOn(String dateOfBirth) {
        ObjectNode document = registrationDocument();
        ((ObjectNode) document.at("/registration_info/child")).put("dateOfBirth", dateOfBirth);
        return document;
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad JSON in a test: " + text, e);
        }
    }
}
