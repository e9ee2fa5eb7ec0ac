package org.daycare.registration.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A POST written on a plain socket, so that the test decides the framing (a Content-Length, or chunks with none)
 * and how large the body is. The body is streamed from one small block, never held whole. While it is written, the
 * answer is read on the caller's thread (a server may answer before the body is through): a full response, the
 * connection closed without one, or a timeout, which is the server hanging and is reported as such.
 */
public final class RawUpload {

    public enum Framing { CONTENT_LENGTH, CHUNKED }

    /**
     * How the exchange ended; {@code bytesWritten}: the body bytes handed to the socket before writing ended (all of
     * them, or fewer when the server closed the connection first).
     */
    public record Outcome(Ending ending, int status, List<String> headerLines, String body, long bytesWritten, String detail,
            Outcome followUp) {

        Outcome(Ending ending, int status, List<String> headerLines, String body, long bytesWritten, String detail) {
            this(ending, status, headerLines, body, bytesWritten, detail, null);
        }

        public boolean answered() {
            return ending == Ending.ANSWERED;
        }

        /** The header names of the answer, lower case. */
        public List<String> headerNames() {
            return headerLines.stream().map(line -> line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT)).toList();
        }

        public String header(String name) {
            return headerLines.stream().filter(line -> line.substring(0, line.indexOf(':')).trim().equalsIgnoreCase(name))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return ending + (answered() ? " " + status + " " + headerLines + " " + body : "") + " after " + bytesWritten
                    + " body bytes" + (detail == null ? "" : " (" + detail + ")")
                    + (followUp == null ? "" : ", then on the same connection: " + followUp);
        }
    }

    public enum Ending {
        /** A complete HTTP response came back. */
        ANSWERED,
        /** The server closed (or reset) the connection without a complete response. */
        CLOSED,
        /** Nothing came back and the connection stayed open: the server hangs. */
        TIMED_OUT
    }

    private static final int BLOCK = 16 * 1024;
    /** What the body is made of: a JSON object's start, then padding; its content is never looked at. */
    private static final byte[] PADDING = filled(BLOCK, (byte) 'x');
    private static final byte[] FIRST_BLOCK = firstBlock();

    private final int port;
    private final String path;
    private final Framing framing;
    private final long bodyBytes;
    private final Duration timeout;

    public RawUpload(int port, String path, Framing framing, long bodyBytes, Duration timeout) {
        this.port = port;
        this.path = path;
        this.framing = framing;
        this.bodyBytes = bodyBytes;
        this.timeout = timeout;
    }

    /** Sends the request and waits for its answer and for the end of the body (sent whole, or cut off). */
    public Outcome send() throws IOException, InterruptedException {
        return send(new CountDownLatch(1), new CountDownLatch(0), null);
    }

    /** As {@link #send()}, then a GET of {@code followUpPath} on the same connection, if the server kept it. */
    public Outcome sendThenGet(String followUpPath) throws IOException, InterruptedException {
        return send(new CountDownLatch(1), new CountDownLatch(0), followUpPath);
    }

    public Outcome send(CountDownLatch headersSent, CountDownLatch start) throws IOException, InterruptedException {
        return send(headersSent, start, null);
    }

    /**
     * Connects and writes the request headers, counts {@code headersSent} down, then waits for {@code start} before
     * the first body byte, so that several uploads can be released together.
     */
    private Outcome send(CountDownLatch headersSent, CountDownLatch start, String followUpPath)
            throws IOException, InterruptedException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(requestHead().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            headersSent.countDown();
            AtomicLong written = new AtomicLong();
            AtomicReference<String> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    start.await();
                    writeBody(out, written);
                } catch (IOException stopped) {
                    writeFailure.set("writing stopped: " + stopped);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }, "raw-upload-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            Outcome answer = readAnswer(in, written, writeFailure);
            // The rest of the body goes on as a client that does not read answers early would send it, until the
            // server closes: only a server that neither reads it nor closes keeps the writer blocked that long.
            if (answer.ending() != Ending.TIMED_OUT) {
                writer.join(timeout.toMillis());
            }
            boolean blocked = writer.isAlive();
            Outcome followUp = null;
            if (followUpPath != null && !blocked && writeFailure.get() == null) {
                out.write(("GET " + followUpPath + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                followUp = readAnswer(in, new AtomicLong(), new AtomicReference<>());
            }
            socket.close();
            writer.join(TimeUnit.SECONDS.toMillis(10));
            if (blocked && answer.ending() != Ending.TIMED_OUT) {
                return new Outcome(Ending.TIMED_OUT, answer.status(), answer.headerLines(), answer.body(), written.get(),
                        "the server neither read the rest of the body nor closed for " + timeout.toSeconds() + " s after: " + answer);
            }
            return new Outcome(answer.ending(), answer.status(), answer.headerLines(), answer.body(), written.get(),
                    join(answer.detail(), writeFailure.get()), followUp);
        }
    }

    private static String join(String first, String second) {
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return first.equals(second) || first.endsWith("; " + second) ? first : first + "; " + second;
    }

    private String requestHead() {
        String framingHeader = framing == Framing.CONTENT_LENGTH
                ? "Content-Length: " + bodyBytes
                : "Transfer-Encoding: chunked";
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + framingHeader + "\r\n\r\n";
    }

    private void writeBody(OutputStream out, AtomicLong written) throws IOException {
        long left = bodyBytes;
        while (left > 0) {
            int length = (int) Math.min(BLOCK, left);
            byte[] block = left == bodyBytes ? FIRST_BLOCK : PADDING;
            if (framing == Framing.CHUNKED) {
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(block, 0, length);
            if (framing == Framing.CHUNKED) {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            written.addAndGet(length);
            left -= length;
        }
        if (framing == Framing.CHUNKED) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
    }

    private Outcome readAnswer(InputStream in, AtomicLong written, AtomicReference<String> writeFailure) {
        List<String> headerLines = new ArrayList<>();
        int status = 0;
        try {
            String statusLine = readLine(in);
            if (statusLine == null) {
                return closed(written, writeFailure, "closed before a status line");
            }
            status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            for (String line = readLine(in); ; line = readLine(in)) {
                if (line == null) {
                    return closed(written, writeFailure, "closed within the headers of " + statusLine);
                }
                if (line.isEmpty()) {
                    break;
                }
                headerLines.add(line);
            }
            String length = new Outcome(Ending.ANSWERED, status, headerLines, "", 0, null).header("Content-Length");
            // without a Content-Length the body runs to the end of the connection
            byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
            if (length != null && body.length < Integer.parseInt(length)) {
                return closed(written, writeFailure, "closed within the body of " + status);
            }
            return new Outcome(Ending.ANSWERED, status, headerLines, new String(body, StandardCharsets.UTF_8), written.get(),
                    writeFailure.get());
        } catch (SocketTimeoutException silent) {
            return new Outcome(Ending.TIMED_OUT, status, headerLines, "", written.get(),
                    "nothing for " + timeout.toSeconds() + " s" + (writeFailure.get() == null ? "" : "; " + writeFailure.get()));
        } catch (IOException reset) {
            return closed(written, writeFailure, reset.toString());
        }
    }

    private static Outcome closed(AtomicLong written, AtomicReference<String> writeFailure, String how) {
        return new Outcome(Ending.CLOSED, 0, List.of(), "", written.get(), how + (writeFailure.get() == null ? "" : "; " + writeFailure.get()));
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    private static byte[] firstBlock() {
        byte[] block = PADDING.clone();
        byte[] opening = "{\"padding\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(opening, 0, block, 0, opening.length);
        return block;
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
