package org.daycare.registration.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.daycare.registration.rules.InformationCheck.MAX_EMAIL_LENGTH;
import static org.daycare.registration.rules.InformationCheck.MAX_INSTRUCTIONS_LENGTH;
import static org.daycare.registration.rules.InformationCheck.MAX_NAME_LENGTH;
import static org.daycare.registration.rules.InformationCheck.MAX_PHONE_LENGTH;
import static org.daycare.registration.rules.SpecExamples.JSON;
import static org.daycare.registration.rules.SpecExamples.TODAY_CLOCK;
import static org.daycare.registration.rules.SpecExamples.WEEKDAYS;
import static org.daycare.registration.rules.SpecExamples.json;
import static org.daycare.registration.rules.SpecExamples.registrationDocument;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Check Information. Most cases take the spec's complete document, change one field (given as a JSON pointer
 * below {@code registration_info}) and expect exactly one problem, with the field's JSON path.
 */
@DisplayName("Check Information: InformationCheck")
class InformationCheckTest {

    /** Stands for "remove the field" where a test changes one field of the spec's document. */
    private static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "(absent)";
        }
    };

    private static final String NOT_A_DATE = "must be a date in YYYY-MM-DD form";
    private static final String OPEN_DAYS = "must be one of Monday, Tuesday, Wednesday, Thursday, Friday";

    private final InformationCheck check = new InformationCheck(WEEKDAYS, TODAY_CLOCK);

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("the spec's example document is complete")
    void specExampleIsComplete() {
        assertThat(check.problemsIn(registrationDocument())).isEmpty();
    }

    @Nested
    @DisplayName("registration_info")
    class RegistrationInfo {

        @ParameterizedTest(name = "{0}")
        @DisplayName("missing or null is required")
        @ValueSource(strings = {"{}", "{\"registration_info\": null}", "{\"registrationInfo\": {}}", "[]", "null"})
        void missing(String document) {
            assertThat(check.problemsIn(json(document))).containsExactly("registration_info: is required");
        }

        @Test
        @DisplayName("no document at all is reported, not thrown")
        void noDocument() {
            assertThat(check.problemsIn(null)).containsExactly("registration_info: is required");
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("anything but an object is rejected")
        @ValueSource(strings = {"[]", "\"Mohamed\"", "42", "true"})
        void notAnObject(String value) {
            assertThat(check.problemsIn(json("{\"registration_info\": " + value + "}")))
                    .containsExactly("registration_info: must be an object");
        }

        @Test
        @DisplayName("an empty object lacks child, parents and daysOfWeek, all reported")
        void empty() {
            assertThat(check.problemsIn(json("{\"registration_info\": {}}"))).containsExactly(
                    "registration_info.child: is required",
                    "registration_info.parents: is required",
                    "registration_info.daysOfWeek: is required");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} = {1}  ->  {2}")
    @DisplayName("one bad field gives exactly one problem, with its JSON path")
    @MethodSource
    void singleFieldProblems(String pointer, Object value, String expectedProblem) {
        assertThat(problemsWith(pointer, value)).containsExactly(expectedProblem);
    }

    static Stream<Arguments> singleFieldProblems() {
        return Stream.of(
                // child
                arguments("/child", ABSENT, "registration_info.child: is required"),
                arguments("/child", null, "registration_info.child: is required"),
                arguments("/child", "Mohamed Diallo", "registration_info.child: must be an object"),
                arguments("/child", List.of(), "registration_info.child: must be an object"),
                arguments("/child/firstName", ABSENT, "registration_info.child.firstName: is required"),
                arguments("/child/firstName", null, "registration_info.child.firstName: is required"),
                arguments("/child/firstName", "", "registration_info.child.firstName: must be a non-blank string"),
                arguments("/child/firstName", "   ", "registration_info.child.firstName: must be a non-blank string"),
                arguments("/child/firstName", "\u00a0\u2003", "registration_info.child.firstName: must be a non-blank string"),
                arguments("/child/firstName", "Mo\u0085hamed", "registration_info.child.firstName: must not contain control characters"),
                arguments("/child/firstName", "Am\ud800ina", "registration_info.child.firstName: must be valid Unicode text"),
                arguments("/daysOfWeek", List.of("Monday", "Monday", "Monday", "Monday", "Monday", "Monday", "Monday", "Monday"),
                        "registration_info.daysOfWeek: must list at most 7 days"),
                arguments("/child/firstName", 42, "registration_info.child.firstName: must be a non-blank string"),
                arguments("/child/firstName", List.of("Mohamed"),
                        "registration_info.child.firstName: must be a non-blank string"),
                arguments("/child/lastName", ABSENT, "registration_info.child.lastName: is required"),
                arguments("/child/lastName", true, "registration_info.child.lastName: must be a non-blank string"),
                // child.dateOfBirth: shape, calendar, type, future
                arguments("/child/dateOfBirth", ABSENT, "registration_info.child.dateOfBirth: is required"),
                arguments("/child/dateOfBirth", null, "registration_info.child.dateOfBirth: is required"),
                arguments("/child/dateOfBirth", "", "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", "2023-02-29", "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", "2016-13-01", "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", "2016-04-31", "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", "2016-00-10", "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", "2016-7-1", "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", "01/07/2016", "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", "2016-07-01T00:00:00Z",
                        "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", " 2016-07-01", "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", 20160701, "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", 1467331200000L, "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", List.of(2016, 7, 1), "registration_info.child.dateOfBirth: " + NOT_A_DATE),
                arguments("/child/dateOfBirth", "2026-11-26",
                        "registration_info.child.dateOfBirth: must not be in the future"),
                arguments("/child/dateOfBirth", "2031-01-01",
                        "registration_info.child.dateOfBirth: must not be in the future"),
                // parents
                arguments("/parents", ABSENT, "registration_info.parents: is required"),
                arguments("/parents", null, "registration_info.parents: is required"),
                arguments("/parents", "Aicha and Ibrahim", "registration_info.parents: must be an object"),
                arguments("/parents", List.of(), "registration_info.parents: must be an object"),
                arguments("/parents", Map.of(), "registration_info.parents: must give at least one of mother, father"),
                arguments("/parents", json("{\"mother\": null, \"father\": null}"),
                        "registration_info.parents: must give at least one of mother, father"),
                arguments("/parents", Map.of("guardian", Map.of("firstName", "Awa")),
                        "registration_info.parents: must give at least one of mother, father"),
                arguments("/parents/mother", "Aicha Cisse", "registration_info.parents.mother: must be an object"),
                arguments("/parents/father", 1, "registration_info.parents.father: must be an object"),
                arguments("/parents/mother/firstName", ABSENT, "registration_info.parents.mother.firstName: is required"),
                arguments("/parents/mother/lastName", null, "registration_info.parents.mother.lastName: is required"),
                arguments("/parents/father/firstName", " ",
                        "registration_info.parents.father.firstName: must be a non-blank string"),
                arguments("/parents/father/lastName", 7,
                        "registration_info.parents.father.lastName: must be a non-blank string"),
                // a parent's email
                arguments("/parents/mother/email", "aicha.cisse", "registration_info.parents.mother.email: must be an email address"),
                arguments("/parents/mother/email", "aicha.cisse@example",
                        "registration_info.parents.mother.email: must be an email address"),
                arguments("/parents/mother/email", "@example.com", "registration_info.parents.mother.email: must be an email address"),
                arguments("/parents/mother/email", "aicha@@example.com",
                        "registration_info.parents.mother.email: must be an email address"),
                arguments("/parents/mother/email", "aicha cisse@example.com",
                        "registration_info.parents.mother.email: must be an email address"),
                arguments("/parents/father/email", "ibrahim.diallo@example.com ",
                        "registration_info.parents.father.email: must be an email address"),
                arguments("/parents/mother/email", "", "registration_info.parents.mother.email: must be a non-blank string"),
                arguments("/parents/mother/email", 42, "registration_info.parents.mother.email: must be a non-blank string"),
                // a parent's phone
                arguments("/parents/father/phone", 987654321, "registration_info.parents.father.phone: must be a non-blank string"),
                arguments("/parents/father/phone", "", "registration_info.parents.father.phone: must be a non-blank string"),
                // daysOfWeek
                arguments("/daysOfWeek", ABSENT, "registration_info.daysOfWeek: is required"),
                arguments("/daysOfWeek", null, "registration_info.daysOfWeek: is required"),
                arguments("/daysOfWeek", List.of(), "registration_info.daysOfWeek: must be a non-empty list of day names"),
                arguments("/daysOfWeek", "Monday", "registration_info.daysOfWeek: must be a non-empty list of day names"),
                arguments("/daysOfWeek", Map.of(), "registration_info.daysOfWeek: must be a non-empty list of day names"),
                arguments("/daysOfWeek", Map.of("0", "Monday"),
                        "registration_info.daysOfWeek: must be a non-empty list of day names"),
                arguments("/daysOfWeek", List.of("Monday", "Monday"), "registration_info.daysOfWeek[1]: repeats Monday"),
                arguments("/daysOfWeek", List.of("Sunday"), "registration_info.daysOfWeek[0]: " + OPEN_DAYS),
                arguments("/daysOfWeek/4", "Saturday", "registration_info.daysOfWeek[4]: " + OPEN_DAYS),
                arguments("/daysOfWeek/0", "monday", "registration_info.daysOfWeek[0]: " + OPEN_DAYS),
                arguments("/daysOfWeek/0", "MONDAY", "registration_info.daysOfWeek[0]: " + OPEN_DAYS),
                arguments("/daysOfWeek/0", "Mon", "registration_info.daysOfWeek[0]: " + OPEN_DAYS),
                arguments("/daysOfWeek/0", "Lundi", "registration_info.daysOfWeek[0]: " + OPEN_DAYS),
                arguments("/daysOfWeek/0", " Monday", "registration_info.daysOfWeek[0]: " + OPEN_DAYS),
                arguments("/daysOfWeek/0", 1, "registration_info.daysOfWeek[0]: " + OPEN_DAYS),
                arguments("/daysOfWeek/0", null, "registration_info.daysOfWeek[0]: " + OPEN_DAYS),
                arguments("/daysOfWeek", List.of("Monday", "monday"), "registration_info.daysOfWeek[1]: " + OPEN_DAYS),
                // specialInstructions: optional, but a string when given
                arguments("/specialInstructions", 42, "registration_info.specialInstructions: must be a string"),
                arguments("/specialInstructions", false, "registration_info.specialInstructions: must be a string"),
                arguments("/specialInstructions", List.of("peanuts"), "registration_info.specialInstructions: must be a string"),
                arguments("/specialInstructions", Map.of("allergy", "peanuts"),
                        "registration_info.specialInstructions: must be a string"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @DisplayName("acceptable variations of the spec's document have no problems")
    @MethodSource
    void acceptableVariations(String pointer, Object value) {
        assertThat(problemsWith(pointer, value)).isEmpty();
    }

    static Stream<Arguments> acceptableVariations() {
        return Stream.of(
                arguments("/child/dateOfBirth", "2026-11-25"),          // born today: a date, not in the future
                arguments("/child/dateOfBirth", "2024-02-29"),          // a real leap day
                arguments("/child/dateOfBirth", "2000-02-29"),
                arguments("/parents/mother", ABSENT),                   // one parent is enough
                arguments("/parents/father", ABSENT),
                arguments("/parents/mother", null),
                arguments("/parents/father", null),
                arguments("/parents/mother/email", ABSENT),             // a phone is enough
                arguments("/parents/mother/email", null),
                arguments("/parents/father/phone", ABSENT),             // an email is enough
                arguments("/parents/father/phone", null),
                arguments("/parents/mother/email", "a@b.c"),            // loose shape check
                arguments("/parents/mother/email", "aicha+daycare@mail.example.co.uk"),
                arguments("/daysOfWeek", List.of("Friday", "Monday")),  // any order, any subset
                arguments("/specialInstructions", ABSENT),              // optional
                arguments("/specialInstructions", null),
                arguments("/specialInstructions", ""),
                arguments("/specialInstructions", "Peanut allergy.\nEpiPen in the bag.\tCall mother first."),
                arguments("/child/firstName", "Zoë-Anaïs"),
                arguments("/registration_extra", "unknown fields are ignored"));
    }

    @Test
    @DisplayName("a parent given with neither email nor phone must give one")
    void parentWithoutContact() {
        ObjectNode document = registrationDocument();
        ObjectNode mother = (ObjectNode) document.at("/registration_info/parents/mother");
        mother.remove("email");
        mother.putNull("phone");

        assertThat(check.problemsIn(document))
                .containsExactly("registration_info.parents.mother: must give an email or a phone");
    }

    @Test
    @DisplayName("parents with neither mother nor father must give one")
    void parentsWithNeitherMotherNorFather() {
        ObjectNode document = registrationDocument();
        ((ObjectNode) document.at("/registration_info/parents")).remove(List.of("mother", "father"));

        assertThat(check.problemsIn(document))
                .containsExactly("registration_info.parents: must give at least one of mother, father");
    }

    @Test
    @DisplayName("an empty parent object reports its names and its missing contact")
    void emptyParent() {
        assertThat(problemsWith("/parents/father", Map.of())).containsExactly(
                "registration_info.parents.father.firstName: is required",
                "registration_info.parents.father.lastName: is required",
                "registration_info.parents.father: must give an email or a phone");
    }

    @Nested
    @DisplayName("daysOfWeek")
    class DaysOfWeek {

        @Test
        @DisplayName("every bad entry is reported at its index; a repeat is reported once it repeats")
        void everyBadEntryReported() {
            assertThat(problemsWith("/daysOfWeek", List.of("Monday", "Sunday", "Monday", "Funday", "Sunday", "Tuesday")))
                    .containsExactly(
                            "registration_info.daysOfWeek[1]: " + OPEN_DAYS,
                            "registration_info.daysOfWeek[2]: repeats Monday",
                            "registration_info.daysOfWeek[3]: " + OPEN_DAYS,
                            "registration_info.daysOfWeek[4]: " + OPEN_DAYS);
        }

        @Test
        @DisplayName("the open days are configurable, and the message lists them")
        void configuredOpeningDays() {
            InformationCheck weekendCheck = new InformationCheck(OpeningDays.parse("Saturday,Monday"), TODAY_CLOCK);

            assertThat(weekendCheck.problemsIn(with(registrationDocument(), "/daysOfWeek", List.of("Saturday", "Monday"))))
                    .isEmpty();
            assertThat(weekendCheck.problemsIn(with(registrationDocument(), "/daysOfWeek", List.of("Monday", "Friday"))))
                    .containsExactly("registration_info.daysOfWeek[1]: must be one of Monday, Saturday");
        }
    }

    @Nested
    @DisplayName("lengths (limits are InformationCheck's constants)")
    class Lengths {

        static Stream<String> nameFields() {
            return Stream.of("/child/firstName", "/child/lastName", "/parents/mother/firstName",
                    "/parents/mother/lastName", "/parents/father/firstName", "/parents/father/lastName");
        }

        @ParameterizedTest(name = "{0}")
        @DisplayName("a name may be MAX_NAME_LENGTH characters long, not one more")
        @MethodSource("nameFields")
        void names(String pointer) {
            assertThat(problemsWith(pointer, "n".repeat(MAX_NAME_LENGTH))).isEmpty();
            assertThat(problemsWith(pointer, "n".repeat(MAX_NAME_LENGTH + 1)))
                    .containsExactly(pathOf(pointer) + ": must be at most " + MAX_NAME_LENGTH + " characters");
        }

        @Test
        @DisplayName("an email may be MAX_EMAIL_LENGTH characters long; longer is reported once, not also as a bad address")
        void email() {
            String domain = "@example.com";
            String longest = "a".repeat(MAX_EMAIL_LENGTH - domain.length()) + domain;

            assertThat(problemsWith("/parents/mother/email", longest)).isEmpty();
            assertThat(problemsWith("/parents/mother/email", "a" + longest))
                    .containsExactly("registration_info.parents.mother.email: must be at most "
                            + MAX_EMAIL_LENGTH + " characters");
        }

        @Test
        @DisplayName("a phone may be MAX_PHONE_LENGTH characters long, not one more")
        void phone() {
            assertThat(problemsWith("/parents/father/phone", "1".repeat(MAX_PHONE_LENGTH))).isEmpty();
            assertThat(problemsWith("/parents/father/phone", "1".repeat(MAX_PHONE_LENGTH + 1)))
                    .containsExactly("registration_info.parents.father.phone: must be at most "
                            + MAX_PHONE_LENGTH + " characters");
        }

        @Test
        @DisplayName("special instructions may be MAX_INSTRUCTIONS_LENGTH characters long, not one more")
        void specialInstructions() {
            assertThat(problemsWith("/specialInstructions", "x".repeat(MAX_INSTRUCTIONS_LENGTH))).isEmpty();
            assertThat(problemsWith("/specialInstructions", "x".repeat(MAX_INSTRUCTIONS_LENGTH + 1)))
                    .containsExactly("registration_info.specialInstructions: must be at most "
                            + MAX_INSTRUCTIONS_LENGTH + " characters");
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @DisplayName("names, emails and phones are single lines without control characters")
    @MethodSource
    void controlCharacters(String pointer, String value) {
        assertThat(problemsWith(pointer, value))
                .containsExactly(pathOf(pointer) + ": must not contain control characters");
    }

    static Stream<Arguments> controlCharacters() {
        return Stream.of(
                arguments("/child/firstName", "Moha\nmed"),
                arguments("/child/lastName", "Diallo\r"),
                arguments("/child/lastName", "Dia\tllo"),
                arguments("/parents/mother/firstName", "Aicha\u0000"),
                arguments("/parents/father/lastName", "Diallo\u001B[31m"),
                arguments("/parents/father/firstName", "Ibra\u007Fhim"),
                arguments("/parents/mother/email", "aicha\u0007@example.com"),
                arguments("/parents/father/phone", "098-765\n-4321"));
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @DisplayName("all problems are reported at once, in document order")
    void allProblemsAtOnce() {
        JsonNode document = json("""
                {
                  "registration_info": {
                    "child": { "firstName": "", "dateOfBirth": "2023-02-29" },
                    "parents": {
                      "mother": { "firstName": "Aicha", "lastName": "Cisse", "email": "aicha.cisse", "phone": null },
                      "father": { "lastName": "Diallo\\n" }
                    },
                    "daysOfWeek": ["Monday", "Sunday", "Monday"],
                    "specialInstructions": 42
                  }
                }
                """);

        assertThat(check.problemsIn(document)).containsExactly(
                "registration_info.child.firstName: must be a non-blank string",
                "registration_info.child.lastName: is required",
                "registration_info.child.dateOfBirth: must be a date in YYYY-MM-DD form",
                "registration_info.parents.mother.email: must be an email address",
                "registration_info.parents.father.firstName: is required",
                "registration_info.parents.father.lastName: must not contain control characters",
                "registration_info.parents.father: must give an email or a phone",
                "registration_info.daysOfWeek[1]: " + OPEN_DAYS,
                "registration_info.daysOfWeek[2]: repeats Monday",
                "registration_info.specialInstructions: must be a string");
    }

    @Test
    @DisplayName("wrong-typed sections are each reported, without descending into them")
    void wrongTypedSections() {
        JsonNode document = json("""
                { "registration_info": { "child": "Mohamed", "parents": ["Aicha"], "daysOfWeek": "weekdays" } }
                """);

        assertThat(check.problemsIn(document)).containsExactly(
                "registration_info.child: must be an object",
                "registration_info.parents: must be an object",
                "registration_info.daysOfWeek: must be a non-empty list of day names");
    }

    @Test
    @DisplayName("a future date of birth is judged against the pinned clock")
    void futureIsRelativeToClock() {
        JsonNode bornTomorrow = with(registrationDocument(), "/child/dateOfBirth", "2026-11-26");
        InformationCheck dayLater = new InformationCheck(WEEKDAYS, Clock.offset(TODAY_CLOCK, Duration.ofDays(1)));

        assertThat(check.problemsIn(bornTomorrow))
                .containsExactly("registration_info.child.dateOfBirth: must not be in the future");
        assertThat(dayLater.problemsIn(bornTomorrow)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------

    @Nested
    @DisplayName("toRegistration")
    class ToRegistration {

        @Test
        @DisplayName("binds the spec's document field for field")
        void bindsSpecDocument() {
            Registration registration = InformationCheck.toRegistration(registrationDocument());

            assertThat(registration).isEqualTo(new Registration(
                    new Registration.Child("Mohamed", "Diallo", "2016-07-01", null),
                    new Registration.Parents(
                            new Registration.Parent("Aicha", "Cisse", "aicha.cisse@example.com", "123-456-7890"),
                            new Registration.Parent("Ibrahim", "Diallo", "ibrahim.diallo@example.com", "098-765-4321")),
                    List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
                    "Mohamed has a peanut allergy.",
                    null,
                    null));
        }

        @Test
        @DisplayName("drops unknown fields at every level")
        void dropsUnknownFields() {
            ObjectNode document = registrationDocument();
            document.put("source", "web form");
            ObjectNode info = (ObjectNode) document.get("registration_info");
            info.put("fees", 1);
            info.put("start_date", "2020-01-01");
            info.put("siblings", 2);
            ((ObjectNode) info.get("child")).put("age", 3).put("nickname", "Momo");
            ((ObjectNode) info.at("/parents")).set("guardian", json("{\"firstName\": \"Awa\"}"));
            ((ObjectNode) info.at("/parents/mother")).put("role", "admin");

            assertThat(check.problemsIn(document)).isEmpty();
            Registration registration = InformationCheck.toRegistration(document);

            assertThat(registration).isEqualTo(InformationCheck.toRegistration(registrationDocument()));
            assertThat(JSON.<JsonNode>valueToTree(registration))
                    .isEqualTo(registrationDocument().get("registration_info"));
        }

        @Test
        @DisplayName("absent or null optional parts stay absent")
        void absentPartsStayAbsent() {
            ObjectNode document = registrationDocument();
            ObjectNode info = (ObjectNode) document.get("registration_info");
            info.remove("specialInstructions");
            ((ObjectNode) info.get("parents")).putNull("mother");
            ((ObjectNode) info.at("/parents/father")).remove("email");

            Registration registration = InformationCheck.toRegistration(document);

            assertThat(registration.specialInstructions()).isNull();
            assertThat(registration.parents().mother()).isNull();
            assertThat(registration.parents().father())
                    .isEqualTo(new Registration.Parent("Ibrahim", "Diallo", null, "098-765-4321"));
            assertThat(JSON.<JsonNode>valueToTree(registration.parents()))
                    .isEqualTo(json("{\"father\": {\"firstName\": \"Ibrahim\", \"lastName\": \"Diallo\","
                            + " \"phone\": \"098-765-4321\"}}"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The problems in the spec's document after one change (pointer below registration_info). */
    private List<String> problemsWith(String pointer, Object value) {
        return check.problemsIn(with(registrationDocument(), pointer, value));
    }

    /** Sets (or, with {@link #ABSENT}, removes) the value at a JSON pointer below registration_info. */
    private static JsonNode with(ObjectNode document, String pointer, Object value) {
        JsonPointer target = JsonPointer.compile("/registration_info" + pointer);
        JsonNode parent = document.at(target.head());
        if (parent instanceof ObjectNode object && value == ABSENT) {
            object.remove(target.last().getMatchingProperty());
        } else if (parent instanceof ObjectNode object) {
            object.set(target.last().getMatchingProperty(), toNode(value));
        } else if (parent instanceof ArrayNode array && value != ABSENT) {
            array.set(target.last().getMatchingIndex(), toNode(value));
        } else {
            throw new IllegalArgumentException("no object or array at " + target.head());
        }
        return document;
    }

    private static JsonNode toNode(Object value) {
        if (value == null) {
            return NullNode.getInstance();
        }
        return value instanceof JsonNode node ? node : JSON.valueToTree(value);
    }

    /** "/parents/mother/email" -> "registration_info.parents.mother.email" */
    private static String pathOf(String pointer) {
        return "registration_info" + pointer.replace('/', '.');
    }
}
