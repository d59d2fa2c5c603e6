package io.moescope.tap.http;

import com.sun.net.httpserver.HttpServer;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.run.DaemonThreads;
import io.moescope.tap.run.RecordingQueue;
import io.moescope.tap.run.TapRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The tap's listening side: the JDK's HTTP server on a fixed pool of {@link TapSettings#threads()} handler threads,
 * forwarding everything but {@code /tap/} to the engine, and a {@link RecordingQueue} that records what they captured:
 * at most half the processors' worth of threads (the rest stay with forwarding) and a quarter of the heap of responses
 * waiting.
 */
public final class TapServer implements AutoCloseable {

    /** How long stopping waits for requests in progress to finish. */
    private static final int STOP_GRACE_SECONDS = 2;
    /** The JDK server's switch for TCP_NODELAY, read once per JVM when its first server is made. */
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private final HttpServer server;
    private final ThreadPoolExecutor handlers;
    private final RecordingQueue recordings;

    private TapServer(HttpServer server, ThreadPoolExecutor handlers, RecordingQueue recordings) {
        this.server = server;
        this.handlers = handlers;
        this.recordings = recordings;
    }

    /** Listens at {@code settings.listen()} and forwards to {@code settings.upstream()}, recording into {@code run}. */
    public static TapServer start(TapSettings settings, Engine engine, RoutingCapture capture, TapRun run) {
        return bind(settings).start(engine, capture, run);
    }

    /**
     * Takes the listening address without serving yet, so that a taken port or an unknown host stops the tap before
     * it starts a run: a tap that never listened must leave no run behind.
     */
    public static Bound bind(TapSettings settings) {
        disableNagle();
        try {
            return new Bound(HttpServer.create(settings.listen(), 0), settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen at " + settings.listen().getHostString() + ":"
                    + settings.listen().getPort() + " (--listen): " + e.getMessage(), e);
        }
    }

    /** A listening address taken by {@link #bind}; {@link #start} serves it. */
    public static final class Bound {

        private final HttpServer server;
        private final TapSettings settings;

        private Bound(HttpServer server, TapSettings settings) {
            this.server = server;
            this.settings = settings;
        }

        /** Forwards to {@code settings.upstream()}, recording into {@code run}. */
        public TapServer start(Engine engine, RoutingCapture capture, TapRun run) {
            return serve(server, settings, engine, capture, run);
        }
    }

    private static TapServer serve(HttpServer server, TapSettings settings, Engine engine, RoutingCapture capture,
                                   TapRun run) {
        var upstream = new Upstream(settings.upstream(), settings.upstreamTimeout());
        // A quarter of the heap, not a fixed 256 MiB: engines answer in bursts, and a burst of long responses (64
        // clients at once, 4,096 positions, 10.6 MB of body each) left 44 and 53 of 128 unrecorded under 256 MiB and
        // none under 2 GiB of an 8 GiB heap, the clients' latency no higher (docs/benchmarks.md, tap, fifth round).
        var recordings = new RecordingQueue(run, Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                Runtime.getRuntime().maxMemory() / 4);
        server.createContext("/", new ForwardHandler(upstream, engine, capture, run, recordings,
                settings.maxRequestBytes(), settings.maxResponseBytes()));
        server.createContext(TapEndpoints.CONTEXT, new TapEndpoints(run.metrics()));
        var handlers = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), DaemonThreads.named("moescope-tap-"));
        server.setExecutor(handlers);
        server.start();
        return new TapServer(server, handlers, recordings);
    }

    /**
     * Turns Nagle's algorithm off for the JDK's HTTP servers of this JVM, unless the user set it: the server writes a
     * response's headers and a short body as two segments, and with Nagle on the body waits for the client's delayed
     * acknowledgement of the headers, 40 ms on Linux (measured: +56 ms p50 on a 256-position response). A JVM-wide
     * switch the JDK reads once: call it before the first server of the JVM is made.
     */
    public static void disableNagle() {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
    }

    /** Where clients connect (the port chosen when the settings asked for port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Captured responses whose tokens are not yet recorded (a benchmark waits for none before its next round). */
    public int recordingsPending() {
        return recordings.pending();
    }

    /**
     * Stops accepting, lets requests in progress finish for a moment, and waits for what they captured to be
     * recorded, so that a run finished after this holds every token its clients were answered for (except those
     * dropped because the recording was behind).
     */
    @Override
    public void close() {
        // The JDK 17 server waits the whole grace even when nothing is in progress: ask for it only when needed.
        server.stop(handlers.getActiveCount() == 0 ? 0 : STOP_GRACE_SECONDS);
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handlers.shutdownNow();
        } finally {
            // after the handlers: none submits any more
            recordings.close();
        }
    }
}
