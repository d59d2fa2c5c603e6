package io.moescope.tap.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.moescope.tap.capture.Capture;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.capture.TapRequest;
import io.moescope.tap.run.RecordingQueue;
import io.moescope.tap.run.TapRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Forwards one client request to the engine and its answer back. A non-streamed 2xx answer of at most
 * {@code maxResponseBytes} is read whole, its routing members located ({@link RoutingCapture}) and the client given
 * the body without them; the routing is decoded and its tokens built and sent after the client has its answer, by a
 * {@link RecordingQueue}, so that this thread is free for the next request at once. A streamed answer
 * ({@code "stream": true}), and one larger than the bound, is copied through chunk by chunk as it arrives. Anything
 * else the engine sends (an error status, a body that is not JSON or carries no routing) reaches the client exactly as
 * the engine sent it; only when the engine gives no answer does the tap answer itself (502, 504). Routing that turns
 * out not to decode is found after the client has its answer: it got the body without the routing members it did not
 * ask for, as for any other response, and the response is counted as decode failed.
 */
final class ForwardHandler implements HttpHandler {

    private static final byte[] NOTHING_READ = new byte[0];

    private final Upstream upstream;
    private final Engine engine;
    private final RoutingCapture capture;
    private final TapRun run;
    private final RecordingQueue recordings;
    private final int maxRequestBytes;
    private final int maxResponseBytes;

    ForwardHandler(Upstream upstream, Engine engine, RoutingCapture capture, TapRun run, RecordingQueue recordings,
                   int maxRequestBytes, int maxResponseBytes) {
        this.upstream = upstream;
        this.engine = engine;
        this.capture = capture;
        this.run = run;
        this.recordings = recordings;
        this.maxRequestBytes = maxRequestBytes;
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readNBytes(maxRequestBytes + 1);
            if (body.length > maxRequestBytes) {
                Problem.send(exchange, 413, "Content Too Large", "the tap reads request bodies of at most "
                        + maxRequestBytes + " bytes (--max-request-bytes); this one is larger and was not forwarded");
                return;
            }
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            var request = TapRequest.of(path, body, ProxyHeaders.keepsRouting(exchange.getRequestHeaders()));
            HttpResponse<EngineBody> response = send(exchange, upstream.request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders(), engine.forwardedBody(request)), request.streams());
            if (response == null) {
                return;
            }
            if (response.body().whole() != null) {
                held(exchange, request, response, response.body().whole());
                return;
            }
            try (InputStream answer = response.body().stream()) {
                if (request.streams()) {
                    stream(exchange, response, answer);
                } else {
                    buffered(exchange, request, response, answer);
                }
            }
        }
    }

    /** A body of no declared length, read up to the bound: held whole when within it, else copied through. */
    private void buffered(HttpExchange exchange, TapRequest request, HttpResponse<?> response, InputStream answer)
            throws IOException {
        byte[] body = readUpToBound(exchange, answer);
        if (body == null) {
            return;
        }
        if (body.length > maxResponseBytes) {
            tooLarge(exchange, response, body, answer);
            return;
        }
        held(exchange, request, response, body);
    }

    /** A body within the bound, whole: an engine error as it came, else its routing located and the client answered. */
    private void held(HttpExchange exchange, TapRequest request, HttpResponse<?> response, byte[] body)
            throws IOException {
        if (!isSuccess(response.statusCode())) {
            // counted first, as a stream is: the count is there once the client has the answer
            run.count(Outcome.UPSTREAM_ERROR);
            respond(exchange, response, body);
            return;
        }
        Capture captured = capture.capture(request, body, run.nowMicros());
        if (captured.outcome() != Outcome.CAPTURED) {
            run.count(captured.outcome());
        }
        respond(exchange, response, captured.clientBody());
        exchange.close();
        if (captured.outcome() == Outcome.CAPTURED) {
            recordings.submit(captured);
        }
    }

    /**
     * The body up to one byte past the bound, so that a larger one is told apart without holding more of it.
     *
     * @return the bytes read, or null when the engine broke off and the client got the tap's 502
     */
    private byte[] readUpToBound(HttpExchange exchange, InputStream answer) throws IOException {
        try {
            return answer.readNBytes(maxResponseBytes + 1);
        } catch (IOException e) {
            brokeOff(exchange, e);
            return null;
        }
    }

    /**
     * A body above the bound: the part read and the rest reach the client as they come, and its routing is not
     * decoded (holding it whole is what the bound prevents). An error status stays an engine error whatever its size.
     */
    private void tooLarge(HttpExchange exchange, HttpResponse<?> response, byte[] read, InputStream rest)
            throws IOException {
        if (isSuccess(response.statusCode())) {
            run.count(Outcome.TOO_LARGE, "its body is larger than " + maxResponseBytes
                    + " bytes (--max-response-bytes); it was passed through to the client as it came");
        } else {
            run.count(Outcome.UPSTREAM_ERROR);
        }
        copyThrough(exchange, response, read, rest);
    }

    private void stream(HttpExchange exchange, HttpResponse<?> response, InputStream answer)
            throws IOException {
        // Counted before the body is copied: a stream may last minutes, the count says it was forwarded.
        run.count(isSuccess(response.statusCode()) ? Outcome.PASSED_THROUGH : Outcome.UPSTREAM_ERROR);
        copyThrough(exchange, response, NOTHING_READ, answer);
    }

    /**
     * The engine's status and headers, then {@code read} (the body's start, already read) and the rest of the body as
     * it arrives. The engine's {@code Content-Length}, when it sent one, frames the body for the client too.
     */
    private static void copyThrough(HttpExchange exchange, HttpResponse<?> response, byte[] read,
                                    InputStream rest) throws IOException {
        ProxyHeaders.toClient(response.headers(), exchange.getResponseHeaders());
        exchange.sendResponseHeaders(response.statusCode(),
                response.headers().firstValueAsLong("Content-Length").orElse(0));
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(read);
            byte[] chunk = new byte[16 * 1024];
            for (int n = rest.read(chunk); n >= 0; n = rest.read(chunk)) {
                out.write(chunk, 0, n);
                // each piece reaches the client as it arrives: server-sent events must not wait for a full buffer
                out.flush();
            }
        }
    }

    /**
     * @return the engine's response ({@link EngineBody}: read whole when its declared length is within the bound, else
     *         not yet read), or null when it gave none, or broke off a body read whole, and the client got the tap's
     *         502 or 504
     */
    private HttpResponse<EngineBody> send(HttpExchange exchange, HttpRequest forwarded, boolean streamed)
            throws IOException {
        try {
            return upstream.send(forwarded, EngineBody.handler(maxResponseBytes, streamed));
        } catch (HttpTimeoutException e) {
            noAnswer(exchange, 504, "Gateway Timeout", "the upstream " + upstream.describe()
                    + " did not answer within " + upstream.timeout() + " (--upstream-timeout)");
        } catch (ConnectException e) {
            noAnswer(exchange, 502, "Bad Gateway", "the upstream " + upstream.describe()
                    + " could not be reached: " + whyUnreachable(e));
        } catch (IOException e) {
            brokeOff(exchange, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            noAnswer(exchange, 502, "Bad Gateway", "the tap stopped while waiting for " + upstream.describe());
        }
        return null;
    }

    private void brokeOff(HttpExchange exchange, IOException e) throws IOException {
        noAnswer(exchange, 502, "Bad Gateway", "the upstream " + upstream.describe() + " broke off: " + describe(e));
    }

    /** The tap's own answer where the engine gave none: counted, logged once per kind, the client told why. */
    private void noAnswer(HttpExchange exchange, int status, String title, String detail) throws IOException {
        run.noAnswer(detail);
        Problem.send(exchange, status, title, detail);
    }

    private static void respond(HttpExchange exchange, HttpResponse<?> response, byte[] body) throws IOException {
        ProxyHeaders.toClient(response.headers(), exchange.getResponseHeaders());
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Why the engine could not be reached. The JDK 17 client's ConnectException and its causes carry no message (its
     * retry closes the channel and keeps only that): the innermost cause's type tells an unknown host from a refused
     * connection.
     */
    private static String whyUnreachable(ConnectException e) {
        Throwable innermost = e;
        while (innermost.getCause() != null) {
            innermost = innermost.getCause();
        }
        if (innermost.getMessage() != null) {
            return innermost.getMessage();
        }
        return innermost instanceof UnresolvedAddressException ? "its host name does not resolve"
                : "the connection was refused";
    }
}
