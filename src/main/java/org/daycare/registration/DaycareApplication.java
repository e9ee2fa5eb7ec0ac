package org.daycare.registration;

import org.apache.camel.main.Main;
import org.daycare.registration.admin.AdminRoutes;
import org.daycare.registration.console.ConsoleRoutes;
import org.daycare.registration.family.StatusLinkRoutes;
import org.daycare.registration.workflow.DeadlineRoutes;
import org.daycare.registration.intake.EchoRoutes;
import org.daycare.registration.intake.IntakeRoutes;
import org.daycare.registration.intake.SubmissionErrorHandling;
import org.daycare.registration.notify.NotificationRoutes;

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
     * The application as a Camel Main, not yet started (tests start it with their own overrides): the Java routes
     * below, the YAML routes of {@code routes/} ({@code camel.main.routes-include-pattern}) and the beans of
     * {@link DaycareConfiguration}. Both are handed over rather than found by scanning this package: Camel 4.17
     * post-processes a scanned configuration class twice (once when the scan creates it, once more with every
     * configuration), which ran each {@code @BindToRegistry} method twice and left a second connection pool open.
     */
    public static Main newMain() {
        Main main = new Main();
        main.configure().addConfiguration(new DaycareConfiguration());
        main.configure().addRoutesBuilder(HttpApi.class, SubmissionErrorHandling.class, IntakeRoutes.class,
                EchoRoutes.class, AdminRoutes.class, StatusLinkRoutes.class, NotificationRoutes.class, DeadlineRoutes.class);
        main.configure().addRoutesBuilder(ConsoleRoutes.class);
        main.setDefaultPropertyPlaceholderLocation(CONFIGURATION);
        return main;
    }
}
