package org.daycare.registration.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The console's static files, read from the jar ({@code console/} on the classpath) and kept in memory once read. A
 * name is one path segment of letters, digits, dots and dashes with a known extension, so that no request reaches
 * anything but those files.
 */
public final class ConsoleAssets {

    static final String INDEX = "index.html";
    private static final String FOLDER = "console/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,80}\\.(html|css|js|svg|png|txt)");
    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");

    private final Map<String, byte[]> read = new ConcurrentHashMap<>();

    /** The file as the body, its media type as Content-Type; {@link NotFound} when there is no such file. */
    public void answer(@Header("file") String name, Exchange exchange) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new NotFound();
        }
        byte[] content = read.computeIfAbsent(name, ConsoleAssets::load);
        if (content == null) {
            throw new NotFound();
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE,
                MEDIA_TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        exchange.getMessage().setBody(content);
    }

    /** The file's bytes, or null (not kept: the names asked for are the client's, and unbounded). */
    private static byte[] load(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No such console file. */
    public static final class NotFound extends RuntimeException {
        NotFound() {
            super("NotFound", null, false, false);
        }
    }
}
