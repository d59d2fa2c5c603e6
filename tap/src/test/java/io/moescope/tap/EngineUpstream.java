package io.moescope.tap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for vLLM's or SGLang's server in the tap's tests (the engines need GPUs): a real HTTP server on a free
 * local port that answers as {@code answer} says, byte for byte (bodies from {@code EngineFixtures} and
 * {@link TapFixtures}), and keeps every request body it received.
 */
public final class EngineUpstream implements AutoCloseable {

    /** How the engine answers a request, given its body. */
    @FunctionalInterface
    public interface Answer {
        void answer(HttpExchange exchange, String requestBody) throws IOException;
    }

    /** A request as the engine received it. */
    public record Received(String method, String path, String body, String keepRoutingHeader) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private EngineUpstream(Answer answer) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body,
                    exchange.getRequestHeaders().getFirst("X-Moescope-Keep-Routing")));
            try (exchange) {
                answer.answer(exchange, body);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** An engine that answers every request as {@code answer} does. */
    public static EngineUpstream answering(Answer answer) {
        return new EngineUpstream(answer);
    }

    /** An engine that answers every request with {@code status} and the JSON {@code body}, as vLLM's server does. */
    public static EngineUpstream json(int status, String body) {
        return answering((exchange, request) -> send(exchange, status, "application/json", body));
    }

    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
