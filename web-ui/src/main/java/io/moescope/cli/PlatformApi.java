package io.moescope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The running platform's JSON API as the command line sees it: the CLI analyses nothing itself, so its figures are
 * exactly the dashboard's and the API's.
 */
public final class PlatformApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public PlatformApi(String server) {
        this.server = URI.create(server.endsWith("/") ? server : server + "/");
    }

    /** The run id of a run given by id or by name (the newest run of that name). */
    public String resolveRun(String nameOrId) {
        if (status("api/runs/" + encode(nameOrId)) == 200) {
            return nameOrId;
        }
        for (JsonNode run : get("api/runs", Map.of("size", "1000"))) {
            if (nameOrId.equals(run.path("name").asText())) {
                return run.path("runId").asText();
            }
        }
        throw new IllegalArgumentException("no run with id or name '" + nameOrId + "' on " + server);
    }

    /**
     * GET {@code path} with the query parameters (null values left out).
     *
     * @throws IllegalArgumentException with the server's message on a 4xx answer
     * @throws IllegalStateException    when the platform cannot be reached or fails
     */
    public JsonNode get(String path, Map<String, ?> query) {
        HttpResponse<String> response = send(path + queryString(query));
        try {
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() >= 400) {
                String message = body.path("detail").asText(body.path("message").asText(response.body()));
                if (response.statusCode() < 500) {
                    throw new IllegalArgumentException(message);
                }
                throw new IllegalStateException(server + " failed (" + response.statusCode() + "): " + message);
            }
            return body;
        } catch (IOException e) {
            throw new IllegalStateException(server + " answered " + response.statusCode() + " with no JSON");
        }
    }

    /** Pretty-printed JSON, for --json. */
    public static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> params(Object... keyValues) {
        var map = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private int status(String path) {
        return send(path).statusCode();
    }

    private HttpResponse<String> send(String pathAndQuery) {
        var request = HttpRequest.newBuilder(server.resolve(pathAndQuery)).timeout(Duration.ofMinutes(10))
                .header("Accept", "application/json").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach moescope at " + server + ": is 'moescope serve' running"
                    + " (or pass --server)?");
        } catch (IOException e) {
            throw new IllegalStateException("talking to " + server + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + server);
        }
    }

    private static String queryString(Map<String, ?> query) {
        String q = query.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
