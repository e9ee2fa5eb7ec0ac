package org.daycare.registration.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped route file (routes/registration-workflow.camel.yaml) with one more state and nothing else changed: the
 * task {@value #TASK} (it passes every registration) and its router {@value #ROUTER}, between Check Age Range's router
 * and Check Spots Availability. What GET /state-machine and the console must pick up by themselves.
 */
public final class RouteFileWithOneMoreState {

    public static final String TASK = "Check Vaccination";
    public static final String ROUTER = "Vaccination Check Result";

    private static final String AGE_RESULT_TO_SPOTS = "                  - to: direct:check-spots-availability\n";
    private static final String ROUTE = """

            - route:
                id: check-vaccination
                routeConfigurationId: submission-inner-routes
                from:
                  uri: direct:check-vaccination
                  steps:
                    - bean:
                        ref: executions
                        method: "entered(${exchangeProperty.execution}, 'Check Vaccination')"
                    - bean:
                        ref: executions
                        method: "exited(${exchangeProperty.execution}, 'Check Vaccination', ${body.statusCode})"
                    - choice:
                        id: Vaccination Check Result
                        when:
                          - jsonpath: "$[?(@.statusCode == 200)]"
                            steps:
                              - to: direct:check-spots-availability
                          - jsonpath: "$[?(@.statusCode == 400)]"
                            steps:
                              - to: direct:notify-invalid-age
            """;

    private RouteFileWithOneMoreState() {
    }

    /**
     * Writes the route file into {@code routeDir} and answers the configuration that makes an application read it
     * instead of the shipped one ({@code camel.main.routes-include-pattern}).
     */
    public static Map<String, String> writeTo(Path routeDir) throws IOException {
        String routes = Files.readString(Path.of("routes/registration-workflow.camel.yaml"));
        // the first such step is Age Check Result's 200 branch
        if (!routes.contains(AGE_RESULT_TO_SPOTS)) {
            throw new IllegalStateException("the shipped route file no longer has Age Check Result's step to Check Spots"
                    + " Availability in the form this helper edits");
        }
        String withCheck = routes.replaceFirst(Pattern.quote(AGE_RESULT_TO_SPOTS),
                Matcher.quoteReplacement("                  - to: direct:check-vaccination\n")) + ROUTE;
        Files.createDirectories(routeDir);
        Files.writeString(routeDir.resolve("registration-workflow.camel.yaml"), withCheck);
        return Map.of("camel.main.routes-include-pattern", "file:" + routeDir + "/*.camel.yaml");
    }
}
