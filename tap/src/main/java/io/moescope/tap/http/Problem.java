package io.moescope.tap.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;

/**
 * The tap's own answers (RFC 9457 problem details), only where there is no engine answer to forward: the engine did
 * not answer in time or could not be reached, the request was too large, a {@code /tap/} path the tap does not serve.
 */
final class Problem {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problem() {
    }

    static void send(HttpExchange exchange, int status, String title, String detail) throws IOException {
        var problem = new LinkedHashMap<String, Object>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        byte[] body = JSON.writeValueAsBytes(problem);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
