package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The command line's client of a running platform's JSON API (java.net.http): the CLI commands that work on stored
 * runs are thin clients of it.
 */
final class PlatformApi {

    private static final int PAGE = 1000;

    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    PlatformApi(String server) {
        this.server = URI.create(server.endsWith("/") ? server : server + "/");
    }

    /** The id of the run named (or with id) {@code nameOrId}; the newest run when several share the name. */
    String runId(String nameOrId) throws IOException {
        HttpResponse<InputStream> byId = send("api/runs/" + encode(nameOrId));
        if (byId.statusCode() == 200) {
            try (InputStream body = byId.body()) {
                return json.readTree(body).path("runId").asText();
            }
        }
        byId.body().close();
        for (int page = 0; ; page++) {
            JsonNode runs = getJson("api/runs?page=" + page + "&size=" + PAGE);
            for (JsonNode run : runs) {
                if (nameOrId.equals(run.path("name").asText())) {
                    return run.path("runId").asText();
                }
            }
            if (runs.size() < PAGE) {
                throw new IllegalArgumentException("no run named '" + nameOrId + "' at " + server);
            }
        }
    }

    /** The export of a run, streamed; the caller closes it. */
    InputStream export(String runId, String format) throws IOException {
        HttpResponse<InputStream> response = send("api/runs/" + encode(runId) + "/export?format=" + encode(format));
        return ok(response).body();
    }

    /** Starts a replay of run {@code runId}; its status (replayId, runId, tokensTotal, ...). */
    JsonNode startReplay(String runId, double speed) throws IOException {
        return json(send("POST", "api/replays?runId=" + encode(runId) + "&speed=" + speed, 202));
    }

    JsonNode replay(String replayId) throws IOException {
        return json(send("GET", "api/replays/" + encode(replayId), 200));
    }

    JsonNode cancelReplay(String replayId) throws IOException {
        return json(send("DELETE", "api/replays/" + encode(replayId), 200));
    }

    private JsonNode json(HttpResponse<InputStream> response) throws IOException {
        try (InputStream body = response.body()) {
            return json.readTree(body);
        }
    }

    private HttpResponse<InputStream> send(String method, String path, int expected) throws IOException {
        return ok(send(HttpRequest.newBuilder(server.resolve(path)).method(method,
                HttpRequest.BodyPublishers.noBody()).build()), expected);
    }

    private JsonNode getJson(String path) throws IOException {
        try (InputStream body = ok(send(path)).body()) {
            return json.readTree(body);
        }
    }

    private HttpResponse<InputStream> send(String path) throws IOException {
        return send(HttpRequest.newBuilder(server.resolve(path)).GET().build());
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new IllegalStateException("moescope at " + server + " is unreachable (is 'moescope serve' "
                    + "running? --server names another)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private HttpResponse<InputStream> ok(HttpResponse<InputStream> response) throws IOException {
        return ok(response, 200);
    }

    private HttpResponse<InputStream> ok(HttpResponse<InputStream> response, int expected) throws IOException {
        if (response.statusCode() != expected) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode()
                    + ": " + body);
        }
        return response;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
