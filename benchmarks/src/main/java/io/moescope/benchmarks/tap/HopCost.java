package io.moescope.benchmarks.tap;

import com.sun.net.httpserver.HttpServer;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.http.TapServer;
import io.moescope.tap.http.TapSettings;
import io.moescope.tap.run.TapProducer;
import io.moescope.tap.run.TapRun;
import io.moescope.traces.RoutingSink;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a second HTTP hop costs on this machine apart from the tap's own work: the same requests to the engine
 * stand-in directly, through a relay that only forwards bytes (the JDK's HTTP server in front of the JDK's HTTP client
 * set up as the tap's, or in front of a blocking {@code HttpURLConnection} that reads the answer on the handler's own
 * thread), and through the tap: its recording into a sink that drops the tokens, or with a broker's address into
 * Kafka through the tap's producer as in use (then each tap round is followed, untimed, by the wait until Kafka has
 * taken its events). Rounds of each kind alternate; p50 and p99 of all of a kind's requests, in ms. Run by hand:
 * {@code java -cp ... io.moescope.benchmarks.tap.HopCost POSITIONS CLIENTS REQUESTS ROUNDS [BOOTSTRAP]}.
 */
public final class HopCost {

    private HopCost() {
    }

    public static void main(String[] args) throws Exception {
        int positions = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int requests = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        RoutingSink sink = args.length > 4 ? new KafkaRoutingSink(args[4], ProducerCompression.EXTERNAL_BROKER,
                TapProducer.OVERRIDES, DeliveryOptions.defaults().withCloseTimeout(Duration.ofMinutes(10)))
                : RoutingSink.discarding();
        TapServer.disableNagle();
        byte[] request = "{\"prompt\":\"bench\",\"max_tokens\":4096}".getBytes(StandardCharsets.UTF_8);
        try (var engine = new EngineStandIn(StandInResponse.completion(positions, TapBench.MODEL), clients + 4);
             var client = new Relay(engine.url(), clients + 4, false);
             var blocking = new Relay(engine.url(), clients + 4, true);
             var run = new TapRun("hop-cost", Engine.VLLM, TapBench.MODEL, sink, Clock.systemUTC());
             var tap = TapServer.start(new TapSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     engine.url(), Duration.ofMinutes(1), 1 << 20, 1 << 26, clients + 4), Engine.VLLM,
                     new RoutingCapture(Engine.VLLM, TapBench.MODEL), run);
             var load = new ClientLoad(clients, requests, request)) {
            var urls = new LinkedHashMap<String, URI>();
            urls.put("direct", URI.create(engine.url() + "/v1/completions"));
            urls.put("relay, JDK HttpClient", client.url());
            urls.put("relay, HttpURLConnection", blocking.url());
            urls.put(args.length > 4 ? "tap, into Kafka" : "tap, dropping tokens",
                    URI.create("http://127.0.0.1:" + tap.address().getPort() + "/v1/completions"));
            var latencies = new LinkedHashMap<String, long[]>();
            for (int round = -1; round < rounds; round++) {
                var kinds = new java.util.ArrayList<>(urls.keySet());
                if (round % 2 != 0) {
                    java.util.Collections.reverse(kinds);
                }
                for (String kind : kinds) {
                    long[] timed = load.run(urls.get(kind)).latencyNanos();
                    if (round >= 0) {
                        latencies.merge(kind, timed, HopCost::concat);
                    }
                    while (tap.recordingsPending() > 0
                            || sink instanceof KafkaRoutingSink kafka && kafka.stats().pending() > 0) {
                        Thread.sleep(5);
                    }
                }
            }
            print(positions, clients, latencies);
        }
    }

    private static void print(int positions, int clients, Map<String, long[]> latencies) {
        double direct = quantile(latencies.get("direct"), 0.5);
        System.out.printf(Locale.ROOT, "%d positions, %d clients, %d requests of each kind:%n", positions, clients,
                latencies.get("direct").length);
        latencies.forEach((kind, nanos) -> System.out.printf(Locale.ROOT,
                "  %-26s p50 %7.2f ms  p99 %7.2f ms  added p50 %6.2f ms%n", kind, quantile(nanos, 0.5),
                quantile(nanos, 0.99), quantile(nanos, 0.5) - direct));
    }

    /** Nearest rank, in ms. */
    private static double quantile(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Forwards a POST's body to the engine and its answer back, nothing else: no headers, no capture. */
    private static final class Relay implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService handlers;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Runnable::run).build();

        Relay(URI engine, int threads, boolean blocking) {
            URI target = URI.create(engine + "/v1/completions");
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    byte[] answer = blocking ? viaUrlConnection(target, body) : viaHttpClient(target, body);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                }
            });
            handlers = Executors.newFixedThreadPool(threads);
            server.setExecutor(handlers);
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/completions");
        }

        private byte[] viaHttpClient(URI target, byte[] body) throws IOException {
            try {
                return client.send(HttpRequest.newBuilder(target).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        private static byte[] viaUrlConnection(URI target, byte[] body) throws IOException {
            var connection = (HttpURLConnection) target.toURL().openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            connection.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            try (InputStream in = connection.getInputStream()) {
                return in.readAllBytes();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
