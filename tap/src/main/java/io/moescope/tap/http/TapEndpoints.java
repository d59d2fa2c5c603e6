package io.moescope.tap.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.moescope.tap.run.TapMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The tap's own paths under {@code /tap/}, never forwarded: {@code GET /tap/metrics} in Prometheus' text format. */
final class TapEndpoints implements HttpHandler {

    static final String CONTEXT = "/tap/";
    private static final String METRICS = CONTEXT + "metrics";

    private final TapMetrics metrics;

    TapEndpoints(TapMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!METRICS.equals(exchange.getRequestURI().getPath())) {
                Problem.send(exchange, 404, "Not Found", "the tap serves " + METRICS + " under " + CONTEXT
                        + "; requests to " + CONTEXT + " are not forwarded");
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                Problem.send(exchange, 405, "Method Not Allowed", METRICS + " answers GET only");
                return;
            }
            byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
