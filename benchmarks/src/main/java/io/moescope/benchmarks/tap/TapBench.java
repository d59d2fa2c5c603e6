package io.moescope.benchmarks.tap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.tap.capture.Engine;
import io.moescope.tap.capture.Outcome;
import io.moescope.tap.capture.RoutingCapture;
import io.moescope.tap.http.TapServer;
import io.moescope.tap.http.TapSettings;
import io.moescope.tap.run.TapProducer;
import io.moescope.tap.run.TapRun;
import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import io.moescope.traces.model.ModelConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * What the tap adds to a vLLM client's requests: the same load (C clients, each sending requests one after the
 * other) straight to an engine stand-in and through a tap in front of it, in alternating rounds (direct, tap, tap,
 * direct, ...) so that drift of a shared machine falls on both alike, after one warm-up round of each. The tap records
 * into Kafka as it does in use; a tap round is followed by a wait until the tap has recorded what it captured and
 * Kafka has taken all of its events, so that their recording and sending is not charged to the next direct round.
 * Responses the tap answered but did not record because its recording was behind are counted.
 */
public final class TapBench {

    /** DeepSeek-V3's router shape: 61 hidden layers, the first 3 dense, top-8 of 256 routed experts. */
    public static final ModelConfig MODEL = deepseekV3Shape();

    private static final byte[] REQUEST = ("{\"model\":\"deepseek-v3-shape\",\"prompt\":\"bench\",\"max_tokens\":"
            + "4096}").getBytes(StandardCharsets.UTF_8);

    private final String bootstrapServers;
    private final ProducerCompression compression;
    private final int requestsPerRound;
    private final int rounds;

    private static ModelConfig deepseekV3Shape() {
        String config = """
                {"_name_or_path": "deepseek-v3-shape", "architectures": ["DeepseekV3ForCausalLM"],
                 "model_type": "deepseek_v3", "first_k_dense_replace": 3, "moe_layer_freq": 1, "n_routed_experts": 256,
                 "n_shared_experts": 1, "num_experts_per_tok": 8, "num_hidden_layers": 61, "hidden_size": 7168,
                 "intermediate_size": 18432, "moe_intermediate_size": 2048, "num_attention_heads": 128,
                 "num_key_value_heads": 128, "q_lora_rank": 1536, "kv_lora_rank": 512, "qk_nope_head_dim": 128,
                 "qk_rope_head_dim": 64, "v_head_dim": 128, "vocab_size": 129280, "tie_word_embeddings": false,
                 "n_group": 8, "topk_group": 4, "norm_topk_prob": true, "routed_scaling_factor": 2.5,
                 "scoring_func": "sigmoid", "topk_method": "noaux_tc"}""";
        try {
            return ModelConfig.of(new ObjectMapper().readTree(config), "deepseek-v3-shape");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param compression      the tap producer's batch codec, by where the broker runs
     * @param requestsPerRound requests of one round, shared out over the clients (each sends at least one)
     * @param rounds           rounds of each kind, even (the order alternates in pairs)
     */
    public TapBench(String bootstrapServers, ProducerCompression compression, int requestsPerRound, int rounds) {
        this.bootstrapServers = bootstrapServers;
        this.compression = compression;
        this.requestsPerRound = requestsPerRound;
        this.rounds = rounds;
    }

    public TapBenchResult run(int positions, int clients) throws InterruptedException {
        int requestsPerClient = Math.max(1, requestsPerRound / clients);
        // before the stand-in, the JVM's first HTTP server: engines' servers (uvicorn) answer without Nagle's delay too
        TapServer.disableNagle();
        var options = DeliveryOptions.defaults().withCloseTimeout(Duration.ofMinutes(10));
        var sink = new KafkaRoutingSink(bootstrapServers, compression, TapProducer.OVERRIDES, options);
        try (var engine = new EngineStandIn(StandInResponse.completion(positions, MODEL), clients + 4);
             var run = new TapRun("bench-tap", Engine.VLLM, MODEL, sink, Clock.systemUTC());
             var tap = TapServer.start(new TapSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     engine.url(), Duration.ofMinutes(1), 1 << 20, 1 << 26, clients + 4), Engine.VLLM,
                     new RoutingCapture(Engine.VLLM, MODEL), run);
             var load = new ClientLoad(clients, requestsPerClient, REQUEST)) {
            var tapUrl = URI.create("http://127.0.0.1:" + tap.address().getPort() + "/v1/completions");
            var directUrl = URI.create(engine.url() + "/v1/completions");
            load.run(directUrl);
            tapRound(load, tapUrl, tap, sink);
            long notRecordedBefore = run.metrics().responses(Outcome.NOT_RECORDED);
            int n = clients * requestsPerClient;
            long[] direct = new long[rounds * n];
            long[] tapped = new long[rounds * n];
            long directWall = 0;
            long tappedWall = 0;
            for (int round = 0; round < rounds; round++) {
                boolean directFirst = round % 2 == 0;
                ClientLoad.Timing first = directFirst ? load.run(directUrl) : tapRound(load, tapUrl, tap, sink);
                ClientLoad.Timing second = directFirst ? tapRound(load, tapUrl, tap, sink) : load.run(directUrl);
                ClientLoad.Timing d = directFirst ? first : second;
                ClientLoad.Timing t = directFirst ? second : first;
                System.arraycopy(d.latencyNanos(), 0, direct, round * n, n);
                System.arraycopy(t.latencyNanos(), 0, tapped, round * n, n);
                directWall += d.wallNanos();
                tappedWall += t.wallNanos();
            }
            return new TapBenchResult(positions, clients, direct, tapped, rounds * n * 1e9 / directWall,
                    rounds * n * 1e9 / tappedWall, run.metrics().responses(Outcome.NOT_RECORDED) - notRecordedBefore);
        }
    }

    /**
     * A round through the tap, then the wait for the tap to record what it captured and for Kafka to take its events
     * (not timed).
     */
    private static ClientLoad.Timing tapRound(ClientLoad load, URI url, TapServer tap, KafkaRoutingSink sink)
            throws InterruptedException {
        ClientLoad.Timing timing = load.run(url);
        while (tap.recordingsPending() > 0 || sink.stats().pending() > 0) {
            Thread.sleep(20);
        }
        return timing;
    }
}
