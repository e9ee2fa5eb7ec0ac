package org.daycare.bench;

/**
 * The registration mix of the suite, the same as bench/lua/load.lua's: of every 10, 8 complete registrations of a
 * child of their own (the prefix and counter are in the child's first name), 1 InvalidAge (born 2016-07-01, today
 * being pinned to 2026-11-25), 1 InformationIncomplete (no child lastName, a mother e-mail that is not one).
 */
public final class Documents {

    private static final String[] DAYS = {
        "[\"Monday\",\"Wednesday\",\"Friday\"]",
        "[\"Monday\",\"Tuesday\",\"Wednesday\",\"Thursday\",\"Friday\"]",
        "[\"Tuesday\",\"Thursday\"]",
    };

    private Documents() {
    }

    public enum Kind { SUCCESS, INVALID_AGE, INCOMPLETE }

    public static Kind kind(long n) {
        long k = n % 10;
        return k == 8 ? Kind.INVALID_AGE : k == 9 ? Kind.INCOMPLETE : Kind.SUCCESS;
    }

    public static String document(String prefix, long n) {
        Kind kind = kind(n);
        String last = kind == Kind.INCOMPLETE ? "" : "\"lastName\":\"Diallo\",";
        String dob = kind == Kind.INVALID_AGE ? "2016-07-01" : "2021-03-27";
        String email = kind == Kind.INCOMPLETE ? "not-an-address" : "aicha.cisse@example.com";
        return "{\"registration_info\":{\"child\":{\"firstName\":\"" + prefix + "-" + n + "\"," + last
                + "\"dateOfBirth\":\"" + dob + "\"},\"parents\":{\"mother\":{\"firstName\":\"Aicha\",\"lastName\":\"Cisse\","
                + "\"email\":\"" + email + "\",\"phone\":\"123-456-7890\"},\"father\":{\"firstName\":\"Ibrahim\","
                + "\"lastName\":\"Diallo\",\"email\":\"ibrahim.diallo@example.com\"}},\"daysOfWeek\":"
                + DAYS[(int) (n % 3)] + ",\"specialInstructions\":\"Peanut allergy.\"}}";
    }
}
