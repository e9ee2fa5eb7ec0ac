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
    public static final String FAILURE_CASE = forChildBornOn("2016-07-01");
}
