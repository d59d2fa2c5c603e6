package io.moescope.cli;

import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.http.TapServer;
import io.moescope.tap.http.TapSettings;
import io.moescope.tap.run.KafkaBacklog;
import io.moescope.tap.run.TapRun;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.tap.run.TapProducer;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.model.ModelConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "tap", mixinStandardHelpOptions = true,
        description = {"Stand between clients and a vLLM or SGLang server: forward every request unchanged, record the "
                + "routed experts each response returns as a live run (one routing event per token, through Kafka), "
                + "and give the client the response without them. Streamed responses, and those above "
                + "--max-response-bytes, pass through untouched. Runs until stopped (Ctrl-C, SIGTERM), then finishes "
                + "the run."})
final class TapCommand implements Callable<Integer>, OptionBounds.Bounded {

    /**
     * Request bodies, and non-streamed response bodies up to their bound, are held whole: the largest bound either may
     * have, well above any prompt, far below the heap.
     */
    static final int MAX_BODY_BYTES = 1 << 30;
    /** Requests handled at once; each streamed response holds one for its whole length. */
    static final int MAX_CONCURRENT_REQUESTS = 4096;

    /** Beyond Kafka's close timeout, how long a stop waits for the server to let its last requests finish. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** How often a live tap's run gets its response counts so far (its header and GET /api/runs show them). */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    @Spec
    private CommandSpec spec;

    @Option(names = "--upstream", required = true, paramLabel = "URL",
            description = "The engine's base URL, e.g. http://vllm:8000.")
    private URI upstream;

    @Option(names = "--engine", required = true, paramLabel = "ENGINE",
            description = "vllm (server started with --enable-return-routed-experts) or sglang (server started with "
                    + "--enable-return-routed-experts; the tap asks for the routing per request).")
    private String engineName;

    @Option(names = "--model-config", required = true, paramLabel = "FILE",
            description = "The served model's config.json: the run's model, and which layers are dense (the engines "
                    + "return them as rows of zeros; they are dropped).")
    private Path modelConfig;

    @Option(names = "--listen", defaultValue = "0.0.0.0:8001", paramLabel = "HOST:PORT",
            description = "Where clients connect (default: ${DEFAULT-VALUE}).")
    private String listen;

    @Option(names = "--run", paramLabel = "NAME", description = "Run name (default: the model config's name).")
    private String runName;

    @Mixin
    private PlatformKafkaOption kafka;

    @Mixin
    private CompressionOption compression;

    @Option(names = "--upstream-timeout", defaultValue = "PT10M", paramLabel = "DURATION",
            description = "How long the engine may take to start answering a request; then the client gets 504 "
                    + "(default: ${DEFAULT-VALUE}: a non-streamed answer comes only when generation ends).")
    private Duration upstreamTimeout;

    @Option(names = "--max-request-bytes", defaultValue = "33554432", paramLabel = "BYTES",
            description = "The largest request body forwarded; a larger one gets 413 (default: ${DEFAULT-VALUE}).")
    private int maxRequestBytes;

    @Option(names = "--max-response-bytes", defaultValue = "67108864", paramLabel = "BYTES",
            description = "The largest non-streamed response body held to record its routing; a larger one is passed "
                    + "through to the client as it comes, not recorded, and counted as too_large "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxResponseBytes;

    @Option(names = "--concurrent-requests", defaultValue = "256", paramLabel = "N",
            description = "Requests handled at once; more wait for a free handler (default: ${DEFAULT-VALUE}).")
    private int concurrentRequests;

    @Mixin
    private SpoolOption spool;

    @Override
    public void checkBounds() {
        OptionBounds.between("--upstream-timeout", upstreamTimeout, Duration.ofSeconds(1), OptionBounds.MAX_WAIT);
        OptionBounds.between("--max-request-bytes", maxRequestBytes, 1, MAX_BODY_BYTES);
        OptionBounds.between("--max-response-bytes", maxResponseBytes, 1, MAX_BODY_BYTES);
        OptionBounds.between("--concurrent-requests", concurrentRequests, 1, MAX_CONCURRENT_REQUESTS);
        settings();
        engine();
        OptionBounds.readableFile("--model-config", modelConfig);
    }

    @Override
    public Integer call() {
        Engine engine = engine();
        ModelConfig config = ModelConfig.read(modelConfig);
        TapSettings settings = settings();
        KafkaRoutingSink.requireReachable(kafka.bootstrapServers(), Duration.ofSeconds(10));
        // bound before the run starts: a tap that cannot listen leaves no run behind
        TapServer.Bound listening = TapServer.bind(settings);
        DeliveryOptions delivery = spool.delivery();
        var sink = new KafkaRoutingSink(kafka.bootstrapServers(), compression.choose(kafka.embeddedBroker()),
                TapProducer.OVERRIDES, delivery);
        String name = runName != null ? runName : config.name();
        PrintWriter out = spec.commandLine().getOut();
        // SIGTERM and Ctrl-C run the hook: it lets the run finish (FINISHED sent, Kafka drained) before the JVM exits
        var hook = new Thread(() -> stopAndWait(delivery.closeTimeout().plus(STOP_GRACE)), "moescope-tap-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        var run = new TapRun(name, engine, config, sink, Clock.systemUTC());
        try (run; var server = listening.start(engine, new RoutingCapture(engine, config), run)) {
            out.printf("tap run %s (%s): listening on http://%s:%d, forwarding to %s (%s)%n", run.runId(), name,
                    server.address().getHostString(), server.address().getPort(), upstream, engine.id());
            out.flush();
            var backlog = new KafkaBacklog(kafka.bootstrapServers(), delivery, PROGRESS_INTERVAL);
            while (!stop.await(PROGRESS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                // before this interval's report is queued: the previous one had the whole interval to be taken
                backlog.check(sink.stats());
                run.reportProgress();
            }
        } catch (InterruptedException e) {
            // stopped by the thread that runs the command (tests, an embedding program): finish the run as on SIGTERM
            Thread.currentThread().interrupt();
        } finally {
            // the run is closed, and with it the sink: Kafka's counts are final
            out.println(summary(run, sink.tokensAcknowledged(), sink.tokensUnconfirmed(),
                    sink.earlierRunEventsAcknowledged()));
            out.flush();
            finished.countDown();
            removeHook(hook);
        }
        return 0;
    }

    private void stopAndWait(Duration atMost) {
        stop.countDown();
        try {
            finished.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and returns now that the run is finished
        }
    }

    /**
     * The line printed when the tap stopped, its sink closed.
     *
     * @param acknowledged routing records of this run Kafka acknowledged ({@link KafkaRoutingSink#tokensAcknowledged})
     * @param unconfirmed  routing records of this run handed to Kafka and not acknowledged ({@link
     *                     KafkaRoutingSink#tokensUnconfirmed})
     * @param earlierRun   events of an earlier run that the spool file held at the start, sent first and acknowledged
     *                     ({@link KafkaRoutingSink#earlierRunEventsAcknowledged})
     */
    static String summary(TapRun run, long acknowledged, long unconfirmed, long earlierRun) {
        var m = run.metrics();
        return String.format(Locale.ROOT, "tap run %s finished: %d responses captured, %d passed through, %d with "
                + "routing not decoded, %d too large to decode, %d engine errors; %s", run.runId(),
                m.responses(Outcome.CAPTURED), m.responses(Outcome.PASSED_THROUGH), m.responses(Outcome.DECODE_FAILED),
                m.responses(Outcome.TOO_LARGE), m.responses(Outcome.UPSTREAM_ERROR),
                tokens(run.tokens(), acknowledged, unconfirmed))
                // only when it happened: a tap restarted on the --spool file of one that stopped before Kafka had all
                + (earlierRun == 0 ? "" : String.format(Locale.ROOT, "; %d events of an earlier run replayed from the"
                        + " spool file (acknowledged by Kafka)", earlierRun))
                // only when it happened: a tap whose recording kept up says nothing about it
                + (m.responses(Outcome.NOT_RECORDED) == 0 ? "" : String.format(Locale.ROOT, "; %d responses not "
                        + "recorded (the recording behind, or Kafka failed for good: see the log)",
                        m.responses(Outcome.NOT_RECORDED)));
    }

    /**
     * A token is recorded once Kafka acknowledged it. After a failure (or a stop Kafka did not take in time) the
     * others are told apart: handed to Kafka without an answer (maybe stored), or never sent to it. Kafka's counts
     * are this run's only: an earlier run's events that the spool file held at the start are told apart.
     */
    private static String tokens(long sent, long acknowledged, long unconfirmed) {
        if (acknowledged >= sent) {
            return sent + " tokens recorded";
        }
        return String.format(Locale.ROOT, "%d tokens recorded (acknowledged by Kafka) of %d sent: %d handed to Kafka"
                + " without its acknowledgement (stored or not, Kafka cannot tell), %d never reached it", acknowledged,
                sent, unconfirmed, Math.max(0, sent - acknowledged - unconfirmed));
    }

    private TapSettings settings() {
        InetSocketAddress listenAt = listenAddress();
        return OptionBounds.byRule("--upstream", "upstream", () -> new TapSettings(listenAt, upstream,
                upstreamTimeout, maxRequestBytes, maxResponseBytes, concurrentRequests));
    }

    /** {@code --listen}: HOST:PORT, the port 0 (any free one) to 65535. */
    private InetSocketAddress listenAddress() {
        int colon = listen.lastIndexOf(':');
        String port = colon < 0 ? "" : listen.substring(colon + 1);
        if (colon < 1 || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException("--listen must be HOST:PORT with a port between 0 and 65535 but was "
                    + listen);
        }
        String host = listen.substring(0, colon);
        return new InetSocketAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                Integer.parseInt(port));
    }

    private Engine engine() {
        return OptionBounds.byRule("--engine", "engine", () -> Engine.named(engineName));
    }
}
