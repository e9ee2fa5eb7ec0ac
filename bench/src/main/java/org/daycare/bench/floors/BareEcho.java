package org.daycare.bench.floors;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The start-up floor: Camel Main with the same embedded HTTP server (platform-http on Vert.x, from the same jar)
 * and one route, POST /bench/echo answering the body it got: what any Camel HTTP service of this build pays
 * before its first answer, without the application's database, migrations, SNS client and routes.
 */
public final class BareEcho {

    private BareEcho() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.addInitialProperty("camel.main.name", "bare-echo");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", System.getProperty("bench.port"));
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/bench/echo?httpMethodRestrict=POST")
                        .routeId("bare-echo")
                        .removeHeaders("*", "Content-Type");
            }
        });
        main.run();
    }
}
