package org.daycare.registration.console;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;

/**
 * The staff's console, served by the application itself: GET /console/ answers the page, GET /console/{file} its
 * scripts and style sheet, all from the jar (see {@link ConsoleAssets}). The page then reads the admin endpoints with
 * the admin token the person signs in with. Not in the OpenAPI document: these are pages, not API.
 *
 * <p>Every answer, refusals included, carries a Content-Security-Policy that allows only the console's own files
 * (no inline script, no eval, no other origin: should a name ever reach the page as markup, its script does not
 * run), {@code X-Content-Type-Options: nosniff} and {@code Cache-Control: no-store}.
 */
public class ConsoleRoutes extends RouteConfigurationBuilder {

    public static final String PATH = "/console";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String ERRORS = "console-errors";
    private static final String ANSWER = "direct:console-answer";

    @Override
    public void configuration() {
        RouteConfigurationDefinition errors = routeConfiguration(ERRORS);
        errors.onException(ConsoleAssets.NotFound.class).handled(true)
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(404))
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; charset=utf-8"))
                .setBody(constant("Not found"))
                .to(ANSWER);
        errors.onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "Console request failed: ${exception.class.name}")
                .log(LoggingLevel.DEBUG, "${exception.stacktrace}")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; charset=utf-8"))
                .setBody(constant("Internal error"))
                .to(ANSWER);
    }

    @Override
    public void configure() {
        rest(PATH).apiDocs(false)
                .get().id("consolePage").to("direct:console-page")
                .get("/{file}").id("consoleFile").to("direct:console-file");

        // The page's links are relative (to work behind a reverse proxy's prefix too), so it is served at /console/:
        // /console, without the slash, is sent there.
        from("direct:console-page")
                .routeId("console-page")
                .routeConfigurationId(ERRORS)
                .choice()
                    .when(header(Exchange.HTTP_PATH).endsWith("/"))
                        .removeHeaders("*")
                        .setHeader("file", constant(ConsoleAssets.INDEX))
                        .bean("consoleAssets", "answer")
                        .removeHeader("file")
                    .otherwise()
                        .removeHeaders("*")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(308))
                        .setHeader("Location", constant(PATH.substring(1) + "/"))
                        .setBody(constant(""))
                .end()
                .to(ANSWER);

        from("direct:console-file")
                .routeId("console-file")
                .routeConfigurationId(ERRORS)
                .bean("consoleAssets", "answer")
                .removeHeaders("*", Exchange.CONTENT_TYPE)
                .to(ANSWER);

        from(ANSWER)
                .routeId("console-answer")
                .setHeader("Content-Security-Policy", constant(CONTENT_SECURITY_POLICY))
                .setHeader("X-Content-Type-Options", constant("nosniff"))
                .setHeader("Cache-Control", constant("no-store"))
                .setHeader("Referrer-Policy", constant("no-referrer"));
    }
}
