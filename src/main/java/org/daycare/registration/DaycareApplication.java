package org.daycare.registration;

import org.apache.camel.main.Main;

/** Runs the daycare registration service until the JVM is stopped (Ctrl+C or SIGTERM). */
public final class DaycareApplication {

    /** Read from the working directory, so that operators edit it without rebuilding. */
    public static final String CONFIGURATION = "file:config/application.properties";

    private DaycareApplication() {
    }

    public static void main(String[] args) throws Exception {
        newMain().run(args);
    }

    /**
     * The application as a Camel Main, not yet started (tests start it with their own overrides). Giving Main
     * this class scans its package: the route builders and {@link DaycareConfiguration} are found there.
     */
    public static Main newMain() {
        Main main = new Main(DaycareApplication.class);
        main.setDefaultPropertyPlaceholderLocation(CONFIGURATION);
        return main;
    }
}
