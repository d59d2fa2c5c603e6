package io.moescope.tap.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.moescope.tap.capture.Capture;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.capture.TapRequest;
import io.moescope.tap.run.TapRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * Forwards one client request to the engine and its answer back. A non-streamed 2xx answer is read whole, its
 * routing decoded ({@link RoutingCapture}) and the client given the body without the routing fields; the tokens are
 * built and sent after the client has its answer. A streamed answer ({@code "stream": true}) is copied through chunk by chunk as
 * it arrives. Anything else the engine sends (an error status, a body the tap cannot decode) reaches the client
 * exactly as the engine sent it; only when the engine gives no answer does the tap answer itself (502, 504).
 */
final class ForwardHandler implements HttpHandler {

    private final Upstream upstream;
    private final Engine engine;
    private final RoutingCapture capture;
    private final TapRun run;
    private final int maxRequestBytes;

    ForwardHandler(Upstream upstream, Engine engine, RoutingCapture capture, TapRun run, int maxRequestBytes) {
        this.upstream = upstream;
        this.engine = engine;
        this.capture = capture;
        this.run = run;
        this.maxRequestBytes = maxRequestBytes;
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
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            var request = TapRequest.of(path, body, ProxyHeaders.keepsRouting(exchange.getRequestHeaders()));
            HttpRequest forwarded = upstream.request(exchange.getRequestMethod(), path, exchange.getRequestHeaders(),
                    engine.forwardedBody(request));
            if (request.streams()) {
                stream(exchange, forwarded);
            } else {
                buffered(exchange, request, forwarded);
            }
        }
    }

    private void buffered(HttpExchange exchange, TapRequest request, HttpRequest forwarded) throws IOException {
        HttpResponse<byte[]> response = send(exchange, forwarded, HttpResponse.BodyHandlers.ofByteArray());
        if (response == null) {
            return;
        }
        int status = response.statusCode();
        if (!isSuccess(status)) {
            respond(exchange, response, response.body());
            run.count(Outcome.UPSTREAM_ERROR);
            return;
        }
        Capture captured = capture.capture(request, response.body(), run.nowMicros());
        respond(exchange, response, captured.clientBody());
        exchange.close();
        run.record(captured);
    }

    private void stream(HttpExchange exchange, HttpRequest forwarded) throws IOException {
        HttpResponse<InputStream> response = send(exchange, forwarded, HttpResponse.BodyHandlers.ofInputStream());
        if (response == null) {
            return;
        }
        // Counted before the body is copied: a stream may last minutes, the count says it was forwarded.
        run.count(isSuccess(response.statusCode()) ? Outcome.PASSED_THROUGH : Outcome.UPSTREAM_ERROR);
        ProxyHeaders.toClient(response.headers(), exchange.getResponseHeaders());
        exchange.sendResponseHeaders(response.statusCode(), 0);
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            byte[] chunk = new byte[16 * 1024];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                out.write(chunk, 0, n);
                // each piece reaches the client as it arrives: server-sent events must not wait for a full buffer
                out.flush();
            }
        }
    }

    /** @return the engine's response, or null when it gave none and the client got the tap's 502 or 504 */
    private <T> HttpResponse<T> send(HttpExchange exchange, HttpRequest forwarded, HttpResponse.BodyHandler<T> body)
            throws IOException {
        try {
            return upstream.send(forwarded, body);
        } catch (HttpTimeoutException e) {
            run.count(Outcome.UPSTREAM_ERROR);
            Problem.send(exchange, 504, "Gateway Timeout", "the upstream " + upstream.describe()
                    + " did not answer within " + upstream.timeout() + " (--upstream-timeout)");
        } catch (ConnectException e) {
            run.count(Outcome.UPSTREAM_ERROR);
            Problem.send(exchange, 502, "Bad Gateway", "the upstream " + upstream.describe()
                    + " could not be reached: " + describe(e));
        } catch (IOException e) {
            run.count(Outcome.UPSTREAM_ERROR);
            Problem.send(exchange, 502, "Bad Gateway", "the upstream " + upstream.describe()
                    + " broke off: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.count(Outcome.UPSTREAM_ERROR);
            Problem.send(exchange, 502, "Bad Gateway", "the tap stopped while waiting for " + upstream.describe());
        }
        return null;
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
}
