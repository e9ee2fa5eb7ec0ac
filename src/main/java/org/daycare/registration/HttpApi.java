package org.daycare.registration;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;

/**
 * The REST DSL's configuration for every HTTP endpoint of the service (POST /registrations in IntakeRoutes, the admin
 * endpoints in AdminRoutes): Camel's platform-http server, and the OpenAPI document camel-openapi-java generates from
 * those rest definitions, served at {@link #DOCUMENT_PATH}.
 */
public class HttpApi extends RouteBuilder {

    public static final String DOCUMENT_PATH = "/openapi.json";
    public static final String MEDIA_TYPE = "application/json";

    @Override
    public void configure() {
        restConfiguration()
                .component("platform-http")
                // No binding: the intake reads the raw bytes itself (size, UTF-8, duplicate keys), and every route
                // writes its own JSON.
                .bindingMode(RestBindingMode.off)
                // The admin answers carry Cache-Control: no-store, which platform-http's default filter drops.
                .endpointProperty("headerFilterStrategy", "#apiHeaderFilterStrategy")
                .apiContextPath(DOCUMENT_PATH)
                .apiContextRouteId("openapi-document")
                // The document's server is where it was fetched from, or what a reverse proxy says (X-Forwarded-Proto,
                // -Host, -Prefix): not the address the server binds (0.0.0.0), nor one guessed from the machine.
                .useXForwardHeaders(true)
                .apiProperty("api.title", "Daycare registration")
                .apiProperty("api.version", "1.0.0")
                .apiProperty("api.description", "Registrations run the daycare's registration workflow (Check"
                        + " Information, Check Age Range, Check Spots Availability, Confirm Registration); the admin"
                        + " endpoints read executions, their history and the capacity back, behind a bearer token.")
                // Documented media types only: declared on the verbs, they would make the HTTP router refuse requests
                // itself (a plain 415, 406 on an Accept header) before the routes' own JSON answers.
                .apiProperty("api.default.consumes", MEDIA_TYPE)
                .apiProperty("api.default.produces", MEDIA_TYPE);
    }
}
