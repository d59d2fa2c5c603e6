package io.moescope.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.dashboard.run.TokenExperts;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.tokens.TokenTexts;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.probe.run.ProbeListener;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.Prompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The walking skeleton end to end: a real MoE forward pass on DJL, the real Kafka broker, ingest into a real
 * PostgreSQL, and the JSON API, with exact counts.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class ProbeToDashboardTest extends EmbeddedPlatformTest {

    private static final int LAYERS = DemoModelSpec.defaults().numLayers();

    /** Every token the probe handed to the Kafka sink, as the probe's listener saw it. */
    private static final List<TokenRouting> SENT = new ArrayList<>();
    private static ProbeResult result;

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private TokenTexts tokenTexts;

    @BeforeAll
    static void runTheProbe(@Value("${spring.kafka.bootstrap-servers}") String bootstrapServers) throws Exception {
        Path model = Files.createTempDirectory("moescope-e2e-model");
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(model, (done, total) -> { });
        var prompts = List.of(new Prompt("req-1", "Which expert takes this token?"),
                new Prompt("req-2", "SELECT 1;"), new Prompt("req-3", "aaaaaaaaaaaaaaaa"));
        ProbeListener recorder = new ProbeListener() {
            @Override
            public void tokenRouted(TokenRouting token) {
                SENT.add(token);
            }
        };
        try (var kafka = new KafkaRoutingSink(bootstrapServers)) {
            result = new ProbeRunner(Clock.systemUTC()).run(new ProbeRequest(model, prompts, 12, "e2e"), kafka, recorder);
        }
    }

    private JsonNode awaitStoredRun() {
        String url = "/api/runs/" + result.runId();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode run = http.getForObject(url, JsonNode.class);
            return run != null && run.path("decisions").asLong() == result.decisions()
                    && "FINISHED".equals(run.path("status").asText());
        });
        return http.getForObject(url, JsonNode.class);
    }

    @Test
    void everyDecisionTheProbeMadeIsStoredExactlyOnce() {
        awaitStoredRun();
        Map<String, TokenRouting> expected = new HashMap<>();
        for (TokenRouting token : SENT) {
            expected.put(token.requestId() + "#" + token.tokenIndex(), token);
        }
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT request_id, token_index, moescope_routing_expert_ids(routing) AS expert_ids"
                        + " FROM token_routing_named WHERE run_id = ?",
                result.runId());

        assertThat(rows).hasSize(SENT.size());
        for (Map<String, Object> row : rows) {
            TokenRouting token = expected.remove(row.get("request_id") + "#" + row.get("token_index"));
            assertThat(token).as("row %s was sent once", row).isNotNull();
            assertThat(shorts(row.get("expert_ids"))).containsExactly(flatExpertIds(token));
        }
        assertThat(expected).as("tokens sent but not stored").isEmpty();
    }

    @Test
    void theTokenViewReadsThePromptAsTextWithEveryRoutedTokenIdKnown() {
        awaitStoredRun();
        List<Integer> ids = SENT.stream().map(TokenRouting::tokenId).distinct().toList();
        // The texts travel with the workload, on their own topic: they may land just after the routing.
        await().atMost(Duration.ofSeconds(60)).until(() -> tokenTexts.of(result.runId(), ids).size() == ids.size());
        List<TokenRouting> prompt = SENT.stream().filter(t -> t.requestId().equals("req-2"))
                .sorted(java.util.Comparator.comparingInt(TokenRouting::tokenIndex)).limit(10).toList();

        // What the Run view's token view draws: "<s>" and the 9 bytes of "SELECT 1;", one token each.
        List<TokenExperts.Token> shown = TokenExperts.at(prompt, 0, tokenTexts.of(result.runId(), ids));
        assertThat(shown).extracting(TokenExperts.Token::text)
                .containsExactly("<s>", "S", "E", "L", "E", "C", "T", " ", "1", ";");
    }

    @Test
    void theRunShowsTokensTimesMoeLayersDecisions() {
        JsonNode run = awaitStoredRun();
        long tokens = result.promptTokens() + result.generatedTokens();
        assertThat(run.path("tokens").asLong()).isEqualTo(tokens).isEqualTo(SENT.size());
        assertThat(run.path("decisions").asLong()).isEqualTo(tokens * LAYERS);
        assertThat(run.path("architecture").asText()).isEqualTo("MixtralForCausalLM");
    }

    @Test
    void metricsMatchCountsWorkedOutFromTheEventsTheProbeSent() {
        awaitStoredRun();
        JsonNode metrics = http.getForObject("/api/runs/" + result.runId() + "/metrics", JsonNode.class);
        int experts = metrics.path("numExperts").asInt();
        long[][] counts = new long[LAYERS][experts];
        for (TokenRouting token : SENT) {
            for (RouterDecision decision : token.decisions()) {
                for (int expert : decision.expertIds()) {
                    counts[decision.layer()][expert]++;
                }
            }
        }

        assertThat(metrics.path("layers")).hasSize(LAYERS);
        for (JsonNode layer : metrics.path("layers")) {
            long[] c = counts[layer.path("layer").asInt()];
            long total = Arrays.stream(c).sum();
            double mean = (double) total / experts;
            double maxVio = (Arrays.stream(c).max().orElseThrow() - mean) / mean;
            double entropy = 0;
            for (long ci : c) {
                if (ci > 0) {
                    entropy -= (double) ci / total * Math.log((double) ci / total);
                }
            }
            assertThat(longs(layer.path("counts"))).containsExactly(c);
            assertThat(layer.path("maxVio").asDouble()).isCloseTo(maxVio, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(layer.path("normalisedEntropy").asDouble())
                    .isCloseTo(entropy / Math.log(experts), org.assertj.core.data.Offset.offset(1e-12));
            double shareSum = 0;
            for (JsonNode share : layer.path("shares")) {
                shareSum += share.asDouble();
            }
            assertThat(shareSum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    private static int[] flatExpertIds(TokenRouting token) {
        return token.decisions().stream().flatMapToInt(d -> Arrays.stream(d.expertIds())).toArray();
    }

    private static int[] shorts(Object sqlArray) {
        try {
            Object array = ((java.sql.Array) sqlArray).getArray();
            Short[] values = (Short[]) array;
            return Arrays.stream(values).mapToInt(Short::intValue).toArray();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
