package io.moescope.tap.http;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;

/**
 * How a tap listens and forwards.
 *
 * @param listen          where clients connect (port 0: any free port)
 * @param upstream        the engine's base URL (no query, no fragment), e.g. {@code http://vllm:8000}; a request's
 *                        path and query are appended
 * @param upstreamTimeout how long the engine may take to start answering; then the client gets 504
 * @param maxRequestBytes the largest request body the tap reads; a larger one gets 413 and is not forwarded
 * @param maxResponseBytes the largest non-streamed response body the tap holds to decode; a larger one is copied
 *                        through to the client as it comes and its routing is not recorded
 * @param threads         requests handled at once (a streamed response holds its thread until it ends)
 */
public record TapSettings(InetSocketAddress listen, URI upstream, Duration upstreamTimeout, int maxRequestBytes,
                          int maxResponseBytes, int threads) {

    public TapSettings {
        if (!"http".equals(upstream.getScheme()) && !"https".equals(upstream.getScheme())) {
            throw new IllegalArgumentException("upstream must be an http:// or https:// URL but was " + upstream);
        }
        if (upstream.getHost() == null) {
            throw new IllegalArgumentException("upstream must name a host but was " + upstream);
        }
        if (upstream.getRawQuery() != null || upstream.getRawFragment() != null) {
            throw new IllegalArgumentException("upstream must be the engine's base URL, without a query or fragment "
                    + "(a request's path and query are appended to it), but was " + upstream);
        }
    }
}
