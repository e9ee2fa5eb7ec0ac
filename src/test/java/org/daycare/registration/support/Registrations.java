package org.daycare.registration.support;

/** Test registrations: the spec's example document, with the child's date of birth as a parameter. */
public final class Registrations {

    private Registrations() {
    }

    /** The spec's example document (its "failure case" with 2016-07-01, its "success case" with 2021-03-27). */
    public static String forChildBornOn(String dateOfBirth) {
        return """
                {
                  "registration_info": {
                    "child": { "firstName": "Mohamed", "lastName": "Diallo", "dateOfBirth": "%s" },
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
                """.formatted(dateOfBirth);
    }

    public static final String SUCCESS_CASE = forChildBornOn("2021-03-27");

    private static final java.util.concurrent.atomic.AtomicInteger SIBLINGS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * The success case for a child of its own (a distinct first name each call): a child holds at most one
     * confirmation, so a test that wants several confirmations needs several children.
     */
    public static String successCaseForAnotherChild() {
        return SUCCESS_CASE.replace("\"firstName\": \"Mohamed\"", "\"firstName\": \"Mohamed " + SIBLINGS.incrementAndGet() + "\"");
    }
    public static final String FAILURE_CASE = forChildBornOn("2016-07-01");

    /** The success case for a child of its own, its registration_info edited (days, special instructions). */
    public static String successCaseForAnotherChild(java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> editInfo) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode document =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(successCaseForAnotherChild());
            editInfo.accept((com.fasterxml.jackson.databind.node.ObjectNode) document.get("registration_info"));
            return json.writeValueAsString(document);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
