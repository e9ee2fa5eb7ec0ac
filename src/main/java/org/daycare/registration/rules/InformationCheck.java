package org.daycare.registration.rules;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Check Information: the gate that keeps bad data out of the rest of the workflow. It reports every problem at
 * once, each prefixed by the JSON path of the field, so that a parent can fix the whole form in one go.
 *
 * <p>Written against the JSON tree rather than a schema because every rule here is a domain rule with a
 * configured parameter (opening days, today's date) and a message that clients match on.
 */
public final class InformationCheck {

    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_PHONE_LENGTH = 40;
    static final int MAX_INSTRUCTIONS_LENGTH = 2000;

    private static final Pattern ISO_DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final DateTimeFormatter STRICT_ISO_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    // Deliberately loose: one @, no spaces, a dot in the domain. Deliverability is the mail server's business.
    private static final Pattern EMAIL_SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    // \p{Cc}: the C0 and C1 control characters (\p{Cntrl} would miss C1, e.g. U+0085 and U+009B)
    private static final Pattern CONTROL_CHARACTERS = Pattern.compile("\\p{Cc}");
    /** A week has seven days; a longer list is refused as one problem rather than one per entry. */
    static final int MAX_DAYS = 7;

    private final OpeningDays openingDays;
    private final Clock clock;

    public InformationCheck(OpeningDays openingDays, Clock clock) {
        this.openingDays = openingDays;
        this.clock = clock;
    }

    /**
     * Every problem with the document, in a fixed order (child, parents, daysOfWeek, specialInstructions);
     * empty when the registration is complete.
     */
    public List<String> problemsIn(JsonNode document) {
        Problems problems = new Problems();
        JsonNode info = document == null ? null : document.get("registration_info");
        if (!isObject(info)) {
            problems.add("registration_info", isAbsent(info) ? "is required" : "must be an object");
            return problems.list;
        }
        checkChild(info.get("child"), "registration_info.child", problems);
        checkParents(info.get("parents"), "registration_info.parents", problems);
        checkDaysOfWeek(info.get("daysOfWeek"), "registration_info.daysOfWeek", problems);
        JsonNode instructions = info.get("specialInstructions");
        if (!isAbsent(instructions)) {
            checkText(instructions, "registration_info.specialInstructions", MAX_INSTRUCTIONS_LENGTH, Text.FREE, problems);
        }
        return problems.list;
    }

    /** Binds a document that passed {@link #problemsIn} to a {@link Registration}; unknown fields are dropped. */
    public static Registration toRegistration(JsonNode document) {
        JsonNode info = document.get("registration_info");
        JsonNode child = info.get("child");
        JsonNode parents = info.get("parents");
        List<String> days = new ArrayList<>();
        info.get("daysOfWeek").forEach(day -> days.add(day.textValue()));
        return new Registration(
                new Registration.Child(text(child, "firstName"), text(child, "lastName"), text(child, "dateOfBirth"), null),
                new Registration.Parents(parent(parents.get("mother")), parent(parents.get("father"))),
                List.copyOf(days),
                text(info, "specialInstructions"),
                null,
                null);
    }

    private void checkChild(JsonNode child, String path, Problems problems) {
        if (!isObject(child)) {
            problems.add(path, isAbsent(child) ? "is required" : "must be an object");
            return;
        }
        checkText(child.get("firstName"), path + ".firstName", MAX_NAME_LENGTH, Text.SINGLE_LINE, problems);
        checkText(child.get("lastName"), path + ".lastName", MAX_NAME_LENGTH, Text.SINGLE_LINE, problems);
        checkDateOfBirth(child.get("dateOfBirth"), path + ".dateOfBirth", problems);
    }

    private void checkDateOfBirth(JsonNode value, String path, Problems problems) {
        if (isAbsent(value)) {
            problems.add(path, "is required");
            return;
        }
        LocalDate dateOfBirth = parseDate(value);
        if (dateOfBirth == null) {
            problems.add(path, "must be a date in YYYY-MM-DD form");
        } else if (dateOfBirth.isAfter(LocalDate.now(clock))) {
            problems.add(path, "must not be in the future");
        }
    }

    private static LocalDate parseDate(JsonNode value) {
        if (value == null || !value.isTextual() || !ISO_DATE_SHAPE.matcher(value.textValue()).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(value.textValue(), STRICT_ISO_DATE);
        } catch (DateTimeParseException impossibleDate) {
            return null;
        }
    }

    private void checkParents(JsonNode parents, String path, Problems problems) {
        if (!isObject(parents)) {
            problems.add(path, isAbsent(parents) ? "is required" : "must be an object");
            return;
        }
        JsonNode mother = parents.get("mother");
        JsonNode father = parents.get("father");
        if (isAbsent(mother) && isAbsent(father)) {
            problems.add(path, "must give at least one of mother, father");
            return;
        }
        checkParent(mother, path + ".mother", problems);
        checkParent(father, path + ".father", problems);
    }

    private void checkParent(JsonNode parent, String path, Problems problems) {
        if (isAbsent(parent)) {
            return;
        }
        if (!parent.isObject()) {
            problems.add(path, "must be an object");
            return;
        }
        checkText(parent.get("firstName"), path + ".firstName", MAX_NAME_LENGTH, Text.SINGLE_LINE, problems);
        checkText(parent.get("lastName"), path + ".lastName", MAX_NAME_LENGTH, Text.SINGLE_LINE, problems);
        JsonNode email = parent.get("email");
        JsonNode phone = parent.get("phone");
        if (isAbsent(email) && isAbsent(phone)) {
            problems.add(path, "must give an email or a phone");
        }
        if (!isAbsent(email) && checkText(email, path + ".email", MAX_EMAIL_LENGTH, Text.SINGLE_LINE, problems)
                && !EMAIL_SHAPE.matcher(email.textValue()).matches()) {
            problems.add(path + ".email", "must be an email address");
        }
        if (!isAbsent(phone)) {
            checkText(phone, path + ".phone", MAX_PHONE_LENGTH, Text.SINGLE_LINE, problems);
        }
    }

    private void checkDaysOfWeek(JsonNode days, String path, Problems problems) {
        if (days == null || !days.isArray() || days.isEmpty()) {
            problems.add(path, isAbsent(days) ? "is required" : "must be a non-empty list of day names");
            return;
        }
        if (days.size() > MAX_DAYS) {
            problems.add(path, "must list at most " + MAX_DAYS + " days");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < days.size(); index++) {
            JsonNode day = days.get(index);
            String dayPath = path + "[" + index + "]";
            if (!day.isTextual() || !openingDays.isOpenOn(day.textValue())) {
                problems.add(dayPath, "must be one of " + openingDays.describe());
            } else if (!seen.add(day.textValue())) {
                problems.add(dayPath, "repeats " + day.textValue());
            }
        }
    }

    /** Names, e-mails and phones are required single lines; special instructions are optional free text. */
    private enum Text { SINGLE_LINE, FREE }

    /** Checks a text field; answers whether it is a usable string (so that further checks make sense). */
    private static boolean checkText(JsonNode value, String path, int maxLength, Text kind, Problems problems) {
        if (isAbsent(value)) {
            if (kind == Text.SINGLE_LINE) {
                problems.add(path, "is required");
            }
            return false;
        }
        if (!value.isTextual()) {
            problems.add(path, kind == Text.SINGLE_LINE ? "must be a non-blank string" : "must be a string");
            return false;
        }
        String text = value.textValue();
        if (kind == Text.SINGLE_LINE && isBlank(text)) {
            problems.add(path, "must be a non-blank string");
            return false;
        }
        if (hasUnpairedSurrogate(text)) {
            // JSON's \ud800 escapes can say what no UTF-8 text can hold: it would not survive storage intact
            problems.add(path, "must be valid Unicode text");
            return false;
        }
        if (text.length() > maxLength) {
            problems.add(path, "must be at most " + maxLength + " characters");
            return false;
        }
        if (kind == Text.SINGLE_LINE && CONTROL_CHARACTERS.matcher(text).find()) {
            problems.add(path, "must not contain control characters");
            return false;
        }
        return true;
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Blank also when made only of no-break or other Unicode spaces, which String.isBlank does not count. */
    private static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
    }

    private static boolean isObject(JsonNode node) {
        return node != null && node.isObject();
    }

    /** JSON null counts as absent: a form that sends {"email": null} did not give an email. */
    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static String text(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value == null || value.isNull() ? null : value.textValue();
    }

    private static Registration.Parent parent(JsonNode parent) {
        if (isAbsent(parent)) {
            return null;
        }
        return new Registration.Parent(text(parent, "firstName"), text(parent, "lastName"),
                text(parent, "email"), text(parent, "phone"));
    }

    private static final class Problems {
        final List<String> list = new ArrayList<>();

        void add(String path, String problem) {
            list.add(path + ": " + problem);
        }
    }
}
