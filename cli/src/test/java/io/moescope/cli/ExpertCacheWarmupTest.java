package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.cli.MoescopeCli;
import io.moescope.events.ExpertCacheStep;
import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.OffloadedProbe;
import io.moescope.platform.StoredRuns;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.run.ProbeResult;
import io.moescope.traces.RoutingSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import picocli.CommandLine;

/**
 * The demo model probed with {@code --expert-cache 2} (LRU) into the embedded platform: the offloading events are
 * stored once each, and the warm-up API reports exactly what the probe measured, next to the simulation.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class ExpertCacheWarmupTest extends EmbeddedPlatformTest {

    private static final int LAYERS = DemoModelSpec.defaults().numLayers();
    private static final List<ExpertCacheStep> STEPS = new CopyOnWriteArrayList<>();
    private static ProbeResult result;

    @Autowired
    private TestRestTemplate http;
    @Autowired
    private JdbcTemplate jdbc;
    @LocalServerPort
    private int port;

    @BeforeAll
    static void runTheProbeWithAnExpertCacheOfTwo(@Value("${spring.kafka.bootstrap-servers}") String servers)
            throws Exception {
        result = OffloadedProbe.run(servers, ExpertCacheWarmupTest::recording);
    }

    /** The Kafka sink, keeping a copy of every expert-cache step the probe sent. */
    private static RoutingSink recording(RoutingSink kafka) {
        return new RoutingSink() {
            @Override
            public void runStarted(RunLifecycle run) {
                kafka.runStarted(run);
            }

            @Override
            public void token(TokenRouting token) {
                kafka.token(token);
            }

            @Override
            public void expertCache(ExpertCacheStep step) {
                STEPS.add(step);
                kafka.expertCache(step);
            }

            @Override
            public void runFinished(RunLifecycle run) {
                kafka.runFinished(run);
            }

            @Override
            public void close() {
                // the try-with-resources above closes the Kafka sink
            }
        };
    }

    private List<ExpertCacheStep.Access> sentAt(int layer) {
        var accesses = new ArrayList<ExpertCacheStep.Access>();
        STEPS.forEach(s -> s.accesses().stream().filter(a -> a.layer() == layer).forEach(accesses::add));
        return accesses;
    }

    @BeforeEach
    void awaitEverythingStored() {
        long sent = STEPS.stream().mapToLong(s -> s.accesses().size()).sum();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Long stored = jdbc.queryForObject("SELECT count(*) FROM expert_cache_access WHERE run_id = ?",
                    Long.class, result.runId());
            Long tokens = jdbc.queryForObject("SELECT count(*) FROM token_routing_named WHERE run_id = ?", Long.class,
                    result.runId());
            return stored == sent && tokens == result.promptTokens() + result.generatedTokens();
        });
    }

    @Test
    void everyAccessTheProbeReportedIsStoredOnce() {
        // one step per prefill and one per decode token
        assertThat(STEPS).hasSize(2 + (int) result.generatedTokens());
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT (request_id, token_index)) FROM expert_cache_access "
                + "WHERE run_id = ?", Long.class, result.runId())).isEqualTo(STEPS.size());
        assertThat(jdbc.queryForObject("SELECT count(*) FILTER (WHERE NOT hit) FROM expert_cache_access "
                + "WHERE run_id = ?", Long.class, result.runId())).isEqualTo(STEPS.stream()
                .mapToLong(ExpertCacheStep::misses).sum());
    }

    @Test
    void theWarmupApiReportsPerLayerWhatTheProbeMeasured() {
        JsonNode warmup = http.getForObject("/api/runs/" + result.runId() + "/warmup", JsonNode.class);
        JsonNode cache = warmup.path("offloading").path("value");
        assertThat(cache.path("capacity").asInt()).isEqualTo(2);
        assertThat(cache.path("policy").asText()).isEqualTo("LRU");
        assertThat(cache.path("steps").asLong()).isEqualTo(STEPS.size());
        assertThat(warmup.path("layers")).hasSize(LAYERS);
        for (JsonNode layer : warmup.path("layers")) {
            List<ExpertCacheStep.Access> sent = sentAt(layer.path("layer").asInt());
            List<ExpertCacheStep.Access> misses = sent.stream().filter(a -> !a.hit()).toList();
            Set<Integer> experts = new HashSet<>();
            sent.forEach(a -> experts.add(a.expert()));
            long[] loadNanos = misses.stream().mapToLong(ExpertCacheStep.Access::loadNanos).sorted().toArray();

            assertThat(layer.path("accesses").asLong()).isEqualTo(sent.size());
            assertThat(layer.path("misses").asLong()).isEqualTo(misses.size())
                    .as("every expert's first use misses: the cache starts empty")
                    .isGreaterThanOrEqualTo(experts.size());
            assertThat(layer.path("expertsUsed").asInt()).isEqualTo(experts.size());
            assertThat(layer.path("hitRate").asDouble()).isEqualTo((double) (sent.size() - misses.size())
                    / sent.size());
            assertThat(layer.path("hitRateInterval95").path("value").path("method").asText())
                    .isEqualTo("bootstrap over 2 requests");
            assertThat(layer.path("bytesRead").asLong())
                    .isEqualTo(misses.stream().mapToLong(ExpertCacheStep.Access::bytesRead).sum()).isPositive();
            assertThat(layer.path("loadMsMax").asDouble()).isEqualTo(loadNanos[loadNanos.length - 1] / 1e6);
            assertThat(layer.path("loadMsP50").asDouble()).isCloseTo(percentile(loadNanos, 0.5) / 1e6,
                    within(1e-9));
            assertThat(layer.path("loadMsP95").asDouble()).isCloseTo(percentile(loadNanos, 0.95) / 1e6,
                    within(1e-9));
        }
    }

    @Test
    void theMeasuredCurveStartsWithThePrefillStepsFromAColdCache() {
        JsonNode layer0 = http.getForObject("/api/runs/" + result.runId() + "/warmup", JsonNode.class)
                .path("layers").get(0);
        List<ExpertCacheStep.Access> prefill = new ArrayList<>();
        STEPS.stream().filter(s -> s.firstTokenIndex() == 0).forEach(s -> s.accesses().stream()
                .filter(a -> a.layer() == 0).forEach(prefill::add));
        JsonNode first = layer0.path("curve").get(0);
        assertThat(first.path("tokenIndex").asInt()).isZero();
        assertThat(first.path("accesses").asLong()).isEqualTo(prefill.size());
        assertThat(first.path("hitRate").asDouble())
                .isEqualTo((double) prefill.stream().filter(ExpertCacheStep.Access::hit).count() / prefill.size());
    }

    @Test
    void theSimulationForTheSameCacheSizeStandsBesideIt() {
        JsonNode simulation = http.getForObject("/api/runs/" + result.runId() + "/warmup", JsonNode.class)
                .path("layers").get(0).path("simulation").path("value");
        assertThat(simulation.path("settings").path("capacity").asInt()).isEqualTo(2);
        assertThat(simulation.path("requests").asInt()).isEqualTo(2);
        assertThat(simulation.path("policies").findValuesAsText("policy")).containsExactly("LRU", "LFU", "BELADY");
        double lru = simulation.path("policies").get(0).path("hitRate").asDouble();
        double belady = simulation.path("policies").get(2).path("hitRate").asDouble();
        assertThat(belady).as("Belady is the upper bound").isGreaterThanOrEqualTo(lru);
    }

    @Test
    void aRunProbedWithoutOffloadingSaysWhyItHasNoMeasurements() {
        var runs = new StoredRuns(jdbc);
        runs.store("resident-run", "resident", 4, 2, StoredRuns.RUN_A);
        JsonNode warmup = http.getForObject("/api/runs/resident-run/warmup", JsonNode.class);
        assertThat(warmup.path("offloading").path("reason").asText()).contains("without --expert-cache");
        assertThat(warmup.path("layers")).isEmpty();
    }

    @Test
    void theWarmupCommandPrintsOneRowPerLayer() {
        var out = new StringWriter();
        CommandLine cli = MoescopeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("warmup", "--run", result.runId(), "--server", "http://localhost:" + port)).isZero();
        System.out.println(out); // the measured figures, for the record (surefire keeps test output)
        assertThat(out.toString()).contains("measured expert cache C=2 LRU, " + STEPS.size() + " steps")
                .contains("| simulated LRU")
                .contains("95 % intervals: measured, bootstrap over 2 requests; simulated, bootstrap over 2 requests");
        assertThat(out.toString().lines().filter(l -> l.matches("\\s+\\d+ .*"))).hasSize(LAYERS);
    }

    /** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
    private static double percentile(long[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
