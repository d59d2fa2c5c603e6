package io.moescope.tap.http;

import com.sun.net.httpserver.Headers;
import io.moescope.tap.capture.TapRequest;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Which headers cross the tap. Hop-by-hop headers (RFC 9110 section 7.6.1: {@code Connection} and those it names,
 * {@code Keep-Alive}, {@code Transfer-Encoding}, ...) belong to one connection and stay behind; so do those the HTTP
 * stacks set themselves ({@code Host}, {@code Content-Length}, {@code Expect}) and the tap's own keep-routing
 * header. Every other header passes with all its values.
 */
final class ProxyHeaders {

    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", TapRequest.KEEP_ROUTING_HEADER.toLowerCase(Locale.ROOT));

    private ProxyHeaders() {
    }

    /** The client's headers onto the request to the engine. */
    static void toUpstream(Headers client, HttpRequest.Builder upstream) {
        forEachForwarded(client, upstream::header);
    }

    /** The engine's headers onto the response to the client. */
    static void toClient(HttpHeaders engine, Headers client) {
        forEachForwarded(engine.map(), client::add);
    }

    /** Whether the client sent {@code X-Moescope-Keep-Routing: true}. */
    static boolean keepsRouting(Headers client) {
        List<String> values = client.get(TapRequest.KEEP_ROUTING_HEADER);
        return values != null && values.stream().anyMatch(v -> v.strip().equalsIgnoreCase("true"));
    }

    private static void forEachForwarded(Map<String, List<String>> headers, BiConsumer<String, String> add) {
        Set<String> named = connectionTokens(headers);
        headers.forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(key) && !named.contains(key) && !key.startsWith(":")) {
                values.forEach(value -> add.accept(name, value));
            }
        });
    }

    /** The headers {@code Connection} names are hop-by-hop too. */
    private static Set<String> connectionTokens(Map<String, List<String>> headers) {
        Set<String> named = new TreeSet<>();
        headers.forEach((name, values) -> {
            if (name.equalsIgnoreCase("connection")) {
                values.forEach(v -> Arrays.stream(v.split(",")).map(t -> t.strip().toLowerCase(Locale.ROOT))
                        .forEach(named::add));
            }
        });
        return named;
    }
}
