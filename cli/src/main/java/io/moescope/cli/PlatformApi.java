package io.moescope.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.moescope.events.RunWorkload;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The running platform's JSON API as the command line sees it (java.net.http). The CLI analyses and stores nothing
 * itself, so its figures are exactly the dashboard's and the API's.
 *
 * <p>Errors: a 4xx answer is the user's to fix and becomes an {@link IllegalArgumentException} with the server's
 * message; an unreachable or failing platform an {@link IllegalStateException}.
 *
 * <p>Every request carries the bearer token found by {@link CliToken} (none when there is none: the server then
 * answers 401, which becomes a message saying how to pass one).
 */
public final class PlatformApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads event records as the server's Jackson writes them (OptionalLong as a number or null). */
    private static final ObjectMapper EVENTS = JsonMapper.builder().addModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final int PAGE = 1000;

    private final URI server;
    private final Optional<CliToken> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** With the token from the environment or, for a local server, its token file (see {@link CliToken}). */
    public PlatformApi(String server) {
        this(server, null, null);
    }

    /** With {@code --token} / {@code --token-file} when given (null when not), else as {@link #PlatformApi(String)}. */
    public PlatformApi(String server, String token, Path tokenFile) {
        this.server = URI.create(server.endsWith("/") ? server : server + "/");
        this.token = CliToken.find(this.server, token, tokenFile);
    }

    /**
     * The id of the run with this id or name.
     *
     * @throws IllegalArgumentException when no run has it, or several runs share the name (listing their ids:
     *                                  picking one silently would report on a run the user did not mean)
     */
    public String resolveRun(String nameOrId) {
        HttpResponse<InputStream> byId = send("GET", "api/runs/" + encode(nameOrId));
        if (byId.statusCode() == 200) {
            return json(byId).path("runId").asText();
        }
        close(byId);
        List<JsonNode> named = runsNamed(nameOrId);
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no run with id or name '" + nameOrId + "' on " + server);
        }
        if (named.size() > 1) {
            throw new IllegalArgumentException(named.size() + " runs are named '" + nameOrId + "'; pass one id with"
                    + " --run: " + named.stream().map(r -> r.path("runId").asText() + " (started "
                    + r.path("startedAt").asText() + ")").collect(Collectors.joining(", ")));
        }
        return named.get(0).path("runId").asText();
    }

    /** Newest first, as the server lists them. */
    private List<JsonNode> runsNamed(String name) {
        var named = new ArrayList<JsonNode>();
        for (int page = 0; ; page++) {
            JsonNode runs = get("api/runs", params("page", page, "size", PAGE));
            runs.forEach(run -> {
                if (name.equals(run.path("name").asText())) {
                    named.add(run);
                }
            });
            if (runs.size() < PAGE) {
                return named;
            }
        }
    }

    /** GET {@code path} with the query parameters (null values left out), as JSON. */
    public JsonNode get(String path, Map<String, ?> query) {
        return json(expect(send("GET", path + queryString(query)), 200));
    }

    /** The export of a run, streamed; the caller closes it. */
    public InputStream export(String runId, String format) {
        return expect(send("GET", "api/runs/" + encode(runId) + "/export" + queryString(params("format", format))),
                200).body();
    }

    /** The run's stored state (status, tokens stored and reported, ...). */
    public JsonNode run(String runId) {
        return get("api/runs/" + encode(runId), Map.of());
    }

    /** What a probe run recorded: prompts, generation parameters, arrivals; 404 (the reason) for other runs. */
    public RunWorkload workload(String runId) {
        JsonNode workload = get("api/runs/" + encode(runId) + "/workload", Map.of());
        try {
            return EVENTS.treeToValue(workload, RunWorkload.class);
        } catch (IOException e) {
            throw new IllegalStateException("the workload of run " + runId + " came back unreadable: "
                    + e.getMessage(), e);
        }
    }

    /** The page of run {@code runId} on the dashboard. */
    public String dashboardUrl(String runId) {
        return server.resolve("runs/" + encode(runId)).toString();
    }

    /** Starts a replay of a stored run; its status (replayId, runId, tokensTotal, ...). */
    public JsonNode startReplay(String runId, double speed) {
        return json(expect(send("POST", "api/replays" + queryString(params("runId", runId, "speed", speed))), 202));
    }

    public JsonNode replay(String replayId) {
        return json(expect(send("GET", "api/replays/" + encode(replayId)), 200));
    }

    public JsonNode cancelReplay(String replayId) {
        return json(expect(send("DELETE", "api/replays/" + encode(replayId)), 200));
    }

    /** Pretty-printed JSON, for --json. */
    public static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> params(Object... keyValues) {
        var map = new LinkedHashMap<String, Object>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private HttpResponse<InputStream> send(String method, String pathAndQuery) {
        var builder = HttpRequest.newBuilder(server.resolve(pathAndQuery)).timeout(Duration.ofMinutes(10))
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody());
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t.value()));
        var request = builder.build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach moescope at " + server + ": is 'moescope serve' running"
                    + " (or pass --server)?", e);
        } catch (IOException e) {
            throw new IllegalStateException("talking to " + server + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + server, e);
        }
    }

    private HttpResponse<InputStream> expect(HttpResponse<InputStream> response, int status) {
        if (response.statusCode() == status) {
            return response;
        }
        if (response.statusCode() == 401) {
            close(response);
            throw new IllegalArgumentException(unauthorized());
        }
        String body = text(response);
        String message = body;
        try {
            JsonNode json = JSON.readTree(body);
            message = json.path("detail").asText(json.path("message").asText(body));
        } catch (IOException notJson) {
            // the raw body is the best message there is
        }
        if (response.statusCode() >= 400 && response.statusCode() < 500) {
            throw new IllegalArgumentException(message);
        }
        throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": "
                + message);
    }

    private String unauthorized() {
        String how = "pass --token TOKEN, set MOESCOPE_TOKEN, or point --token-file / MOESCOPE_TOKEN_FILE at a file"
                + " holding one. An admin creates tokens in the dashboard (Users & tokens); a 'moescope serve' on this"
                + " machine writes an admin token to <data-dir>/" + CliToken.LOCAL_FILE + ", which the CLI reads for"
                + " localhost servers (data dir here: " + CliToken.localDataDir(System.getenv()) + "; set it with"
                + " MOESCOPE_DATA_DIR).";
        return token.map(t -> server + " rejected the API token from " + t.source() + " (unknown or revoked): " + how)
                .orElse(server + " needs an API token: " + how);
    }

    private static JsonNode json(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(response.request().uri() + " answered with no JSON: " + e.getMessage(), e);
        }
    }

    private static String text(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable body: " + e.getMessage() + ")";
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        text(response);
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
