package io.moescope.tap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.tap.ConcurrentSink;
import io.moescope.tap.EngineUpstream;
import io.moescope.tap.TapFixtures;
import io.moescope.tap.Tokens;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.run.TapRun;
import io.moescope.traces.engine.EngineFixtures;
import io.moescope.traces.model.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The tap between a client and an engine stand-in that answers in the engine's wire format, over real HTTP. */
class TapServerTest {

    /** The engine's completion less its routing member, every other byte as the engine sent it. */
    private static final String CLIENT_COMPLETION = "{\"id\":\"cmpl-1\",\"object\":\"text_completion\","
            + "\"created\":1780000000,\"model\":\"tiny-deepseek-v3\",\"choices\":[{\"index\":0,\"text\":\" a b\","
            + "\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null,\"prompt_logprobs\":null,"
            + "\"prompt_token_ids\":[101,102,103],\"token_ids\":[201,202]}],\"service_tier\":null,"
            + "\"system_fingerprint\":null,\"usage\":{\"prompt_tokens\":3,\"total_tokens\":5,"
            + "\"completion_tokens\":2,\"prompt_tokens_details\":null},\"kv_transfer_params\":null}";

    /** The tokens of {@code EngineFixtures.VLLM_COMPLETION}: its four positions, prompt and completion ids. */
    private static final List<String> COMPLETION_TOKENS = List.of(
            "cmpl-1#0 PREFILL 101 1:[1, 2] 2:[3, 4]",
            "cmpl-1#1 PREFILL 102 1:[5, 6] 2:[7, 0]",
            "cmpl-1#2 PREFILL 103 1:[2, 1] 2:[4, 3]",
            "cmpl-1#3 DECODE 201 1:[6, 5] 2:[0, 7]");

    private static final String COMPLETION_REQUEST = "{\"model\":\"tiny-deepseek-v3\",\"prompt\":\"a b c\","
            + "\"max_tokens\":2,\"return_token_ids\":true}";
    private static final String VLLM_ERROR = "{\"object\":\"error\",\"message\":\"This model's maximum context length"
            + " is 4096 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ConcurrentSink sink = new ConcurrentSink();
    /** Above the 4,096-position response of a 61-layer model; the bound's own tests set theirs before starting. */
    private int maxResponseBytes = 1 << 26;
    private EngineUpstream upstream;
    private TapRun run;
    private TapServer tap;

    @AfterEach
    void stop() {
        if (tap != null) {
            tap.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aVllmCompletionIsRecordedAndItsClientGetsItWithoutTheRoutingField() throws Exception {
        start(Engine.VLLM, EngineUpstream.json(200, EngineFixtures.VLLM_COMPLETION));

        HttpResponse<String> response = post("/v1/completions", COMPLETION_REQUEST);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("routed_experts").startsWith("{\"id\":\"cmpl-1\",")
                .contains("\"token_ids\":[201,202]}],\"service_tier\":null");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(
                response.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(upstream.received()).extracting(EngineUpstream.Received::body).containsExactly(COMPLETION_REQUEST);
        assertThat(awaitTokens(4)).containsExactlyElementsOf(COMPLETION_TOKENS);
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.CAPTURED) == 1);
    }

    @Test
    void sglangIsAskedForRoutingAndItsClientGetsTheAnswerWithoutIt() throws Exception {
        start(Engine.SGLANG, EngineUpstream.json(200, EngineFixtures.SGLANG_GENERATE));

        HttpResponse<String> response = post("/generate", "{\"text\":\"hi\",\"sampling_params\":{\"max_new_tokens\":2}}");

        assertThat(upstream.received()).extracting(EngineUpstream.Received::body).containsExactly(
                "{\"return_routed_experts\":true,\"text\":\"hi\",\"sampling_params\":{\"max_new_tokens\":2}}");
        assertThat(response.body()).isEqualTo("{\"text\":\" ok\",\"output_ids\":[301,302],\"meta_info\":{\"id\":"
                + "\"sg-1\",\"finish_reason\":{\"type\":\"length\",\"length\":2},\"prompt_tokens\":2,"
                + "\"completion_tokens\":2,\"cached_tokens\":0,\"e2e_latency\":0.05}}");
        assertThat(awaitTokens(3)).containsExactly(
                "sg-1#0 PREFILL -1 1:[4, 1] 2:[2, 6]",
                "sg-1#1 PREFILL -1 1:[3, 0] 2:[1, 5]",
                "sg-1#2 DECODE 301 1:[7, 6] 2:[3, 2]");
    }

    @Test
    void theKeepRoutingHeaderGivesTheClientTheEnginesBodyAndStaysWithTheTap() throws Exception {
        start(Engine.VLLM, EngineUpstream.json(200, EngineFixtures.VLLM_COMPLETION));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(tapUrl("/v1/completions"))
                .header("X-Moescope-Keep-Routing", "true").POST(HttpRequest.BodyPublishers.ofString(COMPLETION_REQUEST))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo(EngineFixtures.VLLM_COMPLETION);
        assertThat(upstream.received()).extracting(EngineUpstream.Received::keepRoutingHeader).containsExactly(
                (String) null);
        assertThat(awaitTokens(4)).hasSize(4);
    }

    @Test
    void anEngineErrorReachesTheClientByteForByteWithItsHeaders() throws Exception {
        start(Engine.VLLM, EngineUpstream.answering((exchange, request) -> {
            exchange.getResponseHeaders().set("X-Request-Id", "req-7");
            EngineUpstream.send(exchange, 400, "application/json", VLLM_ERROR);
        }));

        HttpResponse<String> response = post("/v1/completions", COMPLETION_REQUEST);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(VLLM_ERROR);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-7");
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.UPSTREAM_ERROR) == 1);
    }

    @Test
    void anEngineThatDoesNotAnswerInTimeGetsTheClientA504NamingItAndTheTimeout() throws Exception {
        var never = new CountDownLatch(1);
        start(Engine.VLLM, EngineUpstream.answering((exchange, request) -> signalled(never)), Duration.ofMillis(300), 1 << 20);

        HttpResponse<String> response = post("/v1/completions", COMPLETION_REQUEST);
        never.countDown();

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Gateway Timeout\",\"status\":504,"
                + "\"detail\":\"the upstream " + upstream.url() + " did not answer within PT0.3S (--upstream-timeout)\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.UPSTREAM_ERROR) == 1);
    }

    @Test
    void anEngineThatCannotBeReachedGetsTheClientA502NamingIt() throws Exception {
        int closed;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        startAt(Engine.VLLM, URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(5), 1 << 20);

        HttpResponse<String> response = post("/v1/completions", COMPLETION_REQUEST);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Bad Gateway\",\"status\":502,"
                + "\"detail\":\"the upstream http://127.0.0.1:" + closed + " could not be reached: the connection was "
                + "refused\"}");
    }

    @Test
    void anEngineThatGivesNoAnswerIsLoggedOnceForManyRequestsAndEachIsCounted() throws Exception {
        var logged = new ListAppender<ILoggingEvent>();
        logged.start();
        var logger = (Logger) LoggerFactory.getLogger(TapRun.class);
        logger.addAppender(logged);
        int closed;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try {
            startAt(Engine.VLLM, URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(5), 1 << 20);

            post("/v1/completions", COMPLETION_REQUEST);
            post("/v1/completions", COMPLETION_REQUEST);
            post("/v1/completions", COMPLETION_REQUEST);
        } finally {
            logger.detachAppender(logged);
        }

        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("the engine gave no "
                + "answer: the upstream http://127.0.0.1:" + closed + " could not be reached: the connection was "
                + "refused (further failures of this kind are counted, not logged)");
        assertThat(logged.list.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(run.metrics().responses(Outcome.UPSTREAM_ERROR)).isEqualTo(3);
    }

    @Test
    void malformedRoutingIsCutOutForTheClientAndCountedAsDecodeFailed() throws Exception {
        String malformed = EngineFixtures.VLLM_COMPLETION.replace("\"usage\":{\"prompt_tokens\":3",
                "\"usage\":{\"prompt_tokens\":7");
        start(Engine.VLLM, EngineUpstream.json(200, malformed));

        HttpResponse<String> response = post("/v1/completions", COMPLETION_REQUEST);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo(CLIENT_COMPLETION.replace("\"prompt_tokens\":3", "\"prompt_tokens\":7"));
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.DECODE_FAILED) == 1);
        assertThat(sink.tokensNow()).isEmpty();
    }

    @Test
    void aStreamedResponseReachesTheClientChunkByChunkBeforeTheEngineHasFinished() throws Exception {
        var clientGotFirst = new CountDownLatch(1);
        var releasedBeforeEnd = new AtomicBoolean();
        start(Engine.VLLM, EngineUpstream.answering((exchange, request) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes("data: {\"choices\":[{\"text\":\" a\"}]}\n\n"));
            out.flush();
            releasedBeforeEnd.set(signalled(clientGotFirst));
            out.write(bytes("data: [DONE]\n\n"));
            out.close();
        }));

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(tapUrl("/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a\",\"stream\":true}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        String first;
        String rest;
        try (InputStream in = response.body()) {
            first = readUntil(in, "\n\n");
            clientGotFirst.countDown();
            rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(first).isEqualTo("data: {\"choices\":[{\"text\":\" a\"}]}\n\n");
        assertThat(rest).isEqualTo("data: [DONE]\n\n");
        assertThat(releasedBeforeEnd).isTrue();
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.PASSED_THROUGH) == 1);
        assertThat(sink.tokensNow()).isEmpty();
    }

    @Test
    void aResponseOf4096TokensOfA61LayerTop8ModelIsRecordedWholeAtItsMoeLayers() throws Exception {
        start(Engine.VLLM, EngineUpstream.json(200, TapFixtures.vllmCompletion("cmpl-big", 16, 4081)),
                TapFixtures.deepseekV3(), Duration.ofSeconds(30), 1 << 20);

        HttpResponse<String> response = post("/v1/completions", "{\"prompt\":\"long\",\"max_tokens\":4081}");

        assertThat(response.body()).doesNotContain("routed_experts").endsWith("\"kv_transfer_params\":null}");
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.tokensNow().size() == 4096);
        var tokens = sink.tokensNow();
        assertThat(tokens.get(0).decisions()).hasSize(58);
        assertThat(tokens.get(0).decisions().get(0).layer()).isEqualTo(3);
        assertThat(tokens.get(0).decisions().get(0).expertIds()).containsExactly(39, 70, 101, 132, 163, 194, 225, 0);
        assertThat(tokens.get(4095).decisions().get(57).layer()).isEqualTo(60);
        assertThat(tokens.get(4095).decisions().get(57).expertIds()).containsExactly(5, 36, 67, 98, 129, 160, 191, 222);
        assertThat(List.of(tokens.get(15).phase().name(), tokens.get(16).phase().name()))
                .containsExactly("PREFILL", "DECODE");
    }

    @Test
    void metricsCountEachOutcomePerEngineInPrometheusText() throws Exception {
        start(Engine.VLLM, EngineUpstream.json(200, EngineFixtures.VLLM_COMPLETION));
        post("/v1/completions", COMPLETION_REQUEST);
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.CAPTURED) == 1);

        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(tapUrl("/tap/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body().lines().filter(l -> l.startsWith("moescope_tap_responses_total"))).containsExactly(
                "moescope_tap_responses_total{engine=\"vllm\",outcome=\"captured\"} 1.0",
                "moescope_tap_responses_total{engine=\"vllm\",outcome=\"decode_failed\"} 0.0",
                "moescope_tap_responses_total{engine=\"vllm\",outcome=\"not_recorded\"} 0.0",
                "moescope_tap_responses_total{engine=\"vllm\",outcome=\"passed_through\"} 0.0",
                "moescope_tap_responses_total{engine=\"vllm\",outcome=\"too_large\"} 0.0",
                "moescope_tap_responses_total{engine=\"vllm\",outcome=\"upstream_error\"} 0.0");
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void afterThreeCapturedAndTwoStreamedResponsesTheFinishedEventCarriesExactlyThoseCounts() throws Exception {
        start(Engine.VLLM, EngineUpstream.answering((exchange, request) -> {
            if (request.contains("\"stream\":true")) {
                EngineUpstream.send(exchange, 200, "text/event-stream", "data: [DONE]\n\n");
            } else {
                EngineUpstream.send(exchange, 200, "application/json", EngineFixtures.VLLM_COMPLETION);
            }
        }));
        for (int i = 0; i < 3; i++) {
            post("/v1/completions", COMPLETION_REQUEST);
        }
        for (int i = 0; i < 2; i++) {
            post("/v1/completions", "{\"prompt\":\"a\",\"stream\":true}");
        }

        tap.close();
        run.close();

        RunLifecycle finished = sink.runs.get(1);
        assertThat(finished.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(finished.responses()).containsExactly(Map.entry("captured", 3L), Map.entry("passed_through", 2L),
                Map.entry("decode_failed", 0L), Map.entry("too_large", 0L), Map.entry("upstream_error", 0L),
                Map.entry("not_recorded", 0L));
        assertThat(finished.tokens()).isEqualTo(12);
    }

    @Test
    void anotherPathUnderTapIsNotForwarded() throws Exception {
        start(Engine.VLLM, EngineUpstream.json(200, "{}"));

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(tapUrl("/tap/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aRequestBodyAboveTheBoundIsRefusedNamingItAndNotForwarded() throws Exception {
        start(Engine.VLLM, EngineUpstream.json(200, "{}"), Duration.ofSeconds(5), 16);

        HttpResponse<String> response = post("/v1/completions", "{\"prompt\":\"seventeen bytes+\"}");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"detail\":\"the tap reads request bodies of at most 16 bytes "
                + "(--max-request-bytes); this one is larger and was not forwarded\"");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aResponseOneByteAboveTheBoundReachesTheClientByteForByteAndIsCountedTooLarge() throws Exception {
        byte[] engineBody = bytes(EngineFixtures.VLLM_COMPLETION);
        maxResponseBytes = engineBody.length - 1;
        start(Engine.VLLM, EngineUpstream.json(200, EngineFixtures.VLLM_COMPLETION));

        HttpResponse<byte[]> response = postForBytes(COMPLETION_REQUEST);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(engineBody);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(engineBody.length);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertTooLargeAndNothingRecorded();
    }

    @Test
    void aResponseAboveTheBoundWithoutALengthIsCopiedThroughAsItComes() throws Exception {
        byte[] engineBody = bytes(EngineFixtures.VLLM_COMPLETION);
        maxResponseBytes = 64;
        start(Engine.VLLM, EngineUpstream.answering((exchange, request) -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int at = 0; at < engineBody.length; at += 50) {
                    out.write(engineBody, at, Math.min(50, engineBody.length - at));
                    out.flush();
                }
            }
        }));

        HttpResponse<byte[]> response = postForBytes(COMPLETION_REQUEST);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(engineBody);
        assertTooLargeAndNothingRecorded();
    }

    /** Read through a stream up to the bound rather than whole: the same body for the client, the same tokens. */
    @Test
    void aResponseWithoutALengthWithinTheBoundIsCaptured() throws Exception {
        byte[] engineBody = bytes(EngineFixtures.VLLM_COMPLETION);
        start(Engine.VLLM, EngineUpstream.answering((exchange, request) -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(engineBody);
            }
        }));

        HttpResponse<String> response = post("/v1/completions", COMPLETION_REQUEST);

        assertThat(response.body()).isEqualTo(CLIENT_COMPLETION);
        assertThat(awaitTokens(4)).containsExactlyElementsOf(COMPLETION_TOKENS);
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.CAPTURED) == 1);
    }

    @Test
    void aResponseExactlyAtTheBoundIsCaptured() throws Exception {
        maxResponseBytes = bytes(EngineFixtures.VLLM_COMPLETION).length;
        start(Engine.VLLM, EngineUpstream.json(200, EngineFixtures.VLLM_COMPLETION));

        HttpResponse<String> response = post("/v1/completions", COMPLETION_REQUEST);

        assertThat(response.body()).doesNotContain("routed_experts");
        assertThat(awaitTokens(4)).hasSize(4);
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.CAPTURED) == 1);
        assertThat(run.metrics().responses(Outcome.TOO_LARGE)).isZero();
    }

    @Test
    void anEngineErrorAboveTheBoundReachesTheClientAsSentAndStaysAnEngineError() throws Exception {
        maxResponseBytes = 16;
        start(Engine.VLLM, EngineUpstream.json(400, VLLM_ERROR));

        HttpResponse<byte[]> response = postForBytes(COMPLETION_REQUEST);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(bytes(VLLM_ERROR));
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.UPSTREAM_ERROR) == 1);
        assertThat(run.metrics().responses(Outcome.TOO_LARGE)).isZero();
    }

    private void start(Engine engine, EngineUpstream engineUpstream) {
        start(engine, engineUpstream, Duration.ofSeconds(30), 1 << 20);
    }

    private void start(Engine engine, EngineUpstream engineUpstream, Duration timeout, int maxRequestBytes) {
        start(engine, engineUpstream, EngineFixtures.config(), timeout, maxRequestBytes);
    }

    private void start(Engine engine, EngineUpstream engineUpstream, ModelConfig config, Duration timeout,
                       int maxRequestBytes) {
        upstream = engineUpstream;
        startAt(engine, upstream.url(), config, timeout, maxRequestBytes);
    }

    private void startAt(Engine engine, URI url, Duration timeout, int maxRequestBytes) {
        startAt(engine, url, EngineFixtures.config(), timeout, maxRequestBytes);
    }

    private void startAt(Engine engine, URI url, ModelConfig config, Duration timeout, int maxRequestBytes) {
        run = new TapRun("tap-test", engine, config, sink, Clock.systemUTC());
        var settings = new TapSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), url, timeout,
                maxRequestBytes, maxResponseBytes, 4);
        tap = TapServer.start(settings, engine, new RoutingCapture(engine, config), run);
    }

    private URI tapUrl(String path) {
        return URI.create("http://127.0.0.1:" + tap.address().getPort() + path);
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(tapUrl(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> postForBytes(String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(tapUrl("/v1/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Counted before the body is copied, so the count is there once the client has the body. */
    private void assertTooLargeAndNothingRecorded() {
        await().atMost(Duration.ofSeconds(30)).until(() -> run.metrics().responses(Outcome.TOO_LARGE) == 1);
        assertThat(run.metrics().responses(Outcome.CAPTURED)).isZero();
        assertThat(sink.tokensNow()).isEmpty();
    }

    private List<String> awaitTokens(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.tokensNow().size() >= count);
        return Tokens.described(sink.tokensNow());
    }

    /** Waits for the test's signal; false when it did not come (the test then fails on what it checks). */
    private static boolean signalled(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        var text = new StringBuilder();
        while (!text.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
        }
        return text.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
