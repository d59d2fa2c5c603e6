package io.moescope.benchmarks.tap;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code clients} clients, each sending {@code requests} requests one after the other and reading each answer whole,
 * as a client of the engine does.
 */
final class ClientLoad implements AutoCloseable {

    /** One round: every request's latency and the round's wall time. */
    record Timing(long[] latencyNanos, long wallNanos) {

        double requestsPerSecond() {
            return latencyNanos.length * 1e9 / wallNanos;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService threads;
    private final int clients;
    private final int requests;
    private final byte[] body;

    ClientLoad(int clients, int requests, byte[] body) {
        this.clients = clients;
        this.requests = requests;
        this.body = body;
        this.threads = Executors.newFixedThreadPool(clients);
    }

    Timing run(URI url) throws InterruptedException {
        var request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long start = System.nanoTime();
        List<Future<long[]>> each = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            each.add(threads.submit(() -> oneClient(request)));
        }
        long[] all = new long[clients * requests];
        for (int c = 0; c < clients; c++) {
            try {
                System.arraycopy(each.get(c).get(), 0, all, c * requests, requests);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a benched request failed: " + e.getCause(), e.getCause());
            }
        }
        return new Timing(all, System.nanoTime() - start);
    }

    private long[] oneClient(HttpRequest request) throws IOException, InterruptedException {
        long[] latencies = new long[requests];
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            latencies[i] = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("status " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
        }
        return latencies;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
