package org.daycare.registration.intake;

/** Opens IntakeRoutes' file-name rule to tests in other packages, so that they predict names the same way. */
public final class IntakeRoutesNames {

    private IntakeRoutesNames() {
    }

    public static String shortened(String stem) {
        return IntakeRoutes.shortened(stem);
    }
}
