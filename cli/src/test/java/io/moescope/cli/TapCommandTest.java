package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.tap.EngineUpstream;
import io.moescope.traces.engine.EngineFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code moescope tap} between a client and an engine stand-in that answers in vLLM's and SGLang's wire formats,
 * through the real broker into PostgreSQL: what the export reads back is every position of every captured response
 * at the MoE layers of the config, the dense layer 0 dropped; the run is live while the tap runs and FINISHED when it
 * is stopped.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class TapCommandTest extends EmbeddedPlatformTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAMED = "data: {\"choices\":[{\"text\":\" a\"}]}\n\ndata: [DONE]\n\n";

    @Autowired
    private TestRestTemplate http;
    @LocalServerPort
    private int port;
    @Value("${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final StringWriter tapOutput = new StringWriter();
    private final AtomicInteger tapStatus = new AtomicInteger(-1);
    private EngineUpstream upstream;
    private Thread tap;
    private int tapPort;

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void aVllmTapStoresEveryPositionOfTheCapturedResponsesAndFinishesTheRunWhenStopped() throws Exception {
        upstream = EngineUpstream.answering((exchange, request) -> {
            if (exchange.getRequestURI().getPath().equals("/v1/chat/completions")) {
                EngineUpstream.send(exchange, 200, "application/json",
                        EngineFixtures.VLLM_CHAT.replace(",\"routed_experts_prompt_start\":1", ""));
            } else {
                EngineUpstream.send(exchange, 200, "application/json", EngineFixtures.VLLM_COMPLETION);
            }
        });
        startTap("vllm", "tap-vllm");

        post("/v1/completions", "{\"prompt\":\"a b c\",\"max_tokens\":2,\"return_token_ids\":true}");
        post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"routed_experts_prompt_start\":1,\"return_token_ids\":true}");
        await().atMost(Duration.ofSeconds(60)).until(() -> "STARTED".equals(run("tap-vllm").path("status").asText())
                && run("tap-vllm").path("tokens").asLong() == 7);
        stopTap();

        assertThat(tapStatus).hasValue(0);
        assertThat(tapOutput.toString()).contains("finished: 2 responses captured, 0 passed through, 0 with routing "
                + "not decoded, 0 too large to decode, 0 engine errors; 7 tokens recorded");
        await().atMost(Duration.ofSeconds(60)).until(() -> "FINISHED".equals(run("tap-vllm").path("status").asText()));
        assertThat(run("tap-vllm").path("source").asText()).isEqualTo("tap:vllm");
        assertThat(exported("tap-vllm")).containsExactly(
                "chatcmpl-2#1 prefill 112 1:[3,5] 2:[6,1]",
                "chatcmpl-2#2 decode 211 1:[7,2] 2:[2,7]",
                "chatcmpl-2#3 decode 212 1:[1,3] 2:[5,4]",
                "cmpl-1#0 prefill 101 1:[1,2] 2:[3,4]",
                "cmpl-1#1 prefill 102 1:[5,6] 2:[7,0]",
                "cmpl-1#2 prefill 103 1:[2,1] 2:[4,3]",
                "cmpl-1#3 decode 201 1:[6,5] 2:[0,7]");
    }

    @Test
    void anSglangTapStoresItsResponsesAndCountsStreamedOnesAsPassedThrough() throws Exception {
        upstream = EngineUpstream.answering((exchange, request) -> {
            if (request.contains("\"stream\":true")) {
                EngineUpstream.send(exchange, 200, "text/event-stream", STREAMED);
            } else {
                EngineUpstream.send(exchange, 200, "application/json", EngineFixtures.sglang("sg-9", "uint16",
                        0, 0, 4, 1, 2, 6, 0, 0, 3, 0, 1, 5, 0, 0, 7, 6, 3, 2));
            }
        });
        startTap("sglang", "tap-sglang");

        HttpResponse<String> generated = post("/generate", "{\"text\":\"hi\"}");
        HttpResponse<String> streamed = post("/generate", "{\"text\":\"hi\",\"stream\":true}");
        stopTap();

        assertThat(generated.body()).doesNotContain("routed_experts");
        assertThat(streamed.body()).isEqualTo(STREAMED);
        assertThat(tapOutput.toString()).contains("finished: 1 responses captured, 1 passed through, 0 with routing "
                + "not decoded, 0 too large to decode, 0 engine errors; 3 tokens recorded");
        await().atMost(Duration.ofSeconds(60)).until(() -> "FINISHED".equals(run("tap-sglang").path("status").asText())
                && run("tap-sglang").path("tokens").asLong() == 3);
        assertThat(exported("tap-sglang")).containsExactly(
                "sg-9#0 prefill -1 1:[4,1] 2:[2,6]",
                "sg-9#1 prefill -1 1:[3,0] 2:[1,5]",
                "sg-9#2 decode 301 1:[7,6] 2:[3,2]");
    }

    @Test
    void theStoppedTapsRunHoldsItsResponsesByOutcome() throws Exception {
        upstream = EngineUpstream.answering((exchange, request) -> {
            if (request.contains("\"stream\":true")) {
                EngineUpstream.send(exchange, 200, "text/event-stream", STREAMED);
            } else {
                EngineUpstream.send(exchange, 200, "application/json", EngineFixtures.VLLM_COMPLETION);
            }
        });
        startTap("vllm", "tap-counts");

        post("/v1/completions", "{\"prompt\":\"a b c\",\"max_tokens\":2}");
        post("/v1/completions", "{\"prompt\":\"a b c\",\"max_tokens\":2}");
        post("/v1/completions", "{\"prompt\":\"a\",\"stream\":true}");
        stopTap();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> "FINISHED".equals(run("tap-counts").path("status").asText()));
        assertThat(run("tap-counts").path("responses").toString()).isEqualTo("{\"captured\":2,\"passed_through\":1,"
                + "\"decode_failed\":0,\"too_large\":0,\"upstream_error\":0,\"not_recorded\":0}");
    }

    @Test
    void aTapThatCannotListenSaysSoNamingListenAndStartsNoRun() throws Exception {
        upstream = EngineUpstream.json(200, EngineFixtures.VLLM_COMPLETION);
        Path config = Files.writeString(dir.resolve("config.json"), EngineFixtures.CONFIG);
        var output = new StringWriter();
        var errors = new StringWriter();
        var cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(output, true));
        cli.setErr(new PrintWriter(errors, true));
        int status;
        int taken;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            taken = socket.getLocalPort();
            status = cli.execute("tap", "--upstream", upstream.url().toString(), "--engine", "vllm",
                    "--model-config", config.toString(), "--listen", "127.0.0.1:" + taken, "--run", "tap-taken",
                    "--bootstrap-servers", bootstrapServers);
        }
        // a tap that did start afterwards shows in the runs: had the failed one started its run, it would show too
        startTap("vllm", "tap-after");
        stopTap();
        await().atMost(Duration.ofSeconds(60)).until(() -> "FINISHED".equals(run("tap-after").path("status").asText()));

        assertThat(status).isEqualTo(2);
        assertThat(output.toString()).isEmpty();
        assertThat(run("tap-taken").isEmpty()).isTrue();
        assertThat(errors.toString()).startsWith("moescope: cannot listen at 127.0.0.1:" + taken + " (--listen): ");
    }

    private void startTap(String engine, String runName) throws IOException {
        Path config = Files.writeString(dir.resolve("config.json"), EngineFixtures.CONFIG);
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tapPort = socket.getLocalPort();
        }
        var cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(tapOutput, true));
        tap = new Thread(() -> tapStatus.set(cli.execute("tap", "--upstream", upstream.url().toString(),
                "--engine", engine, "--model-config", config.toString(), "--listen", "127.0.0.1:" + tapPort,
                "--run", runName, "--bootstrap-servers", bootstrapServers)), "tap-under-test");
        tap.start();
        await().atMost(Duration.ofSeconds(60)).until(this::tapListens);
    }

    private void stopTap() throws InterruptedException {
        tap.interrupt();
        tap.join();
    }

    private boolean tapListens() {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), tapPort)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tapPort + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode run(String name) {
        for (JsonNode run : http.getForObject("/api/runs?size=1000", JsonNode.class)) {
            if (name.equals(run.path("name").asText())) {
                return run;
            }
        }
        return JSON.createObjectNode();
    }

    private List<String> exported(String runName) throws IOException {
        Path out = dir.resolve(runName + ".jsonl");
        assertThat(MoescopeCli.commandLine().execute("export", "--run", runName, "--format", "jsonl", "--server",
                "http://localhost:" + port, "--out", out.toString())).isZero();
        List<String> lines = Files.readAllLines(out);
        return ExportedTokens.described(lines.subList(1, lines.size() - 1));
    }
}
