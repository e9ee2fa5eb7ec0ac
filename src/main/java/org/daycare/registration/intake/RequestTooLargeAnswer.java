package org.daycare.registration.intake;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The HTTP server's own refusal of a body past {@code daycare.http.max-body-bytes} (camel.server.max-body-size is set
 * from that key). Vert.x's body handler stops keeping such a body, whether its Content-Length says so or its chunks
 * add up to it, and fails the request with 413 before any route sees it. This failure handler answers that 413 with
 * the RequestTooLarge document the registration route gives, with no header but Content-Type and Content-Length.
 * <p>
 * After the answer the rest of the body is discarded, up to {@link #SWALLOW_BYTES}, and then the connection is
 * closed: nothing more is read. The allowance lets a client that sends a body a little too large finish, read its
 * answer and keep its connection (closing at once makes many clients lose the answer to the reset, or reuse a
 * connection that is gone); it is what Tomcat does with its maxSwallowSize, with the same 2 MiB.
 */
public final class RequestTooLargeAnswer implements Handler<RoutingContext>, StartupListener {

    private static final long SWALLOW_BYTES = 2L * 1024 * 1024;
    private static final int REQUEST_TOO_LARGE = 413;
    private static final String ANSWERED = RequestTooLargeAnswer.class.getName() + ".answered";

    private final byte[] document;
    private final int port;

    /** {@code document}: the RequestTooLarge result document as JSON; {@code port}: the server's (camel.server.port). */
    public RequestTooLargeAnswer(byte[] document, int port) {
        this.document = document.clone();
        this.port = port;
    }

    /**
     * Registered on the router of the server on our port once Camel has started that server, and before the routes'
     * consumers start taking requests on it.
     */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("No platform-http router on port " + port + " to answer 413 on");
        }
        router.route().failureHandler(this);
    }

    @Override
    public void handle(RoutingContext context) {
        if (context.get(ANSWERED) != null) {
            // the connection was closed under the rest of the body, as meant: nothing to report
            return;
        }
        if (context.statusCode() != REQUEST_TOO_LARGE || context.response().ended()) {
            context.next();
            return;
        }
        context.put(ANSWERED, Boolean.TRUE);
        context.response().headers().clear();
        context.response().setStatusCode(REQUEST_TOO_LARGE)
                .putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(document));
        swallowTheRest(context.request());
    }

    /** Runs on the connection's event loop, as every chunk of it does, so the count needs no lock. */
    private static void swallowTheRest(HttpServerRequest request) {
        if (request.isEnded()) {
            return;
        }
        long[] swallowed = {0};
        request.handler(chunk -> {
            swallowed[0] += chunk.length();
            if (swallowed[0] > SWALLOW_BYTES) {
                request.connection().close();
            }
        });
        request.resume();
    }
}
