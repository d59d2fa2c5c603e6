package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.WindowedLoads;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.platform.ScratchPlatform;
import io.moescope.analytics.alerting.WindowedLoads;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Not a test: decision produced -&gt; alert FIRING latency on the whole platform (embedded Kafka and PostgreSQL,
 * ingest, the Kafka Streams windows, the evaluator) under a background load. A healthy run streams at the given
 * rate; every 2 s a new run starts whose routing is collapsed from its first token (all decisions to experts 0
 * and 1 of 8) once the stream is live, and the latency is the seeded 'routing collapse' rule's FIRING time at its layer 0 minus the time its
 * first token was handed to the producer. Prints p50 / p95 / max.
 * {@code cli/bench.sh io.moescope.platform.alerts.AlertLatencyBenchmark [decisions/s=100000] [seconds=40]}
 */
public final class AlertLatencyBenchmark {

    private static final int LAYERS = 32;
    private static final int EXPERTS = 8;
    private static final ModelIdentity MODEL = new ModelIdentity("bench", "MixtralForCausalLM", EXPERTS, 2, LAYERS,
            IntStream.range(0, LAYERS).boxed().toList(), 1, 1);

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        ConfigurableApplicationContext app = ScratchPlatform.start("latency-bench");
        try (var sink = new KafkaRoutingSink(app.getEnvironment().getProperty("spring.kafka.bootstrap-servers"))) {
            Map<String, Long> firstTokenAt = produce(sink, rate, seconds, app.getBean(WindowedLoads.class));
            System.out.printf("produced %d s (after the warm-up) at %,d decisions/s; %d collapsing runs%n", seconds, rate,
                    firstTokenAt.size());
            report(app.getBean(JdbcTemplate.class), firstTokenAt);
        } finally {
            app.close();
        }
        System.exit(0);
    }

    /**
     * The background load runs first until the stream is live (its current bucket holds the background run: the
     * consumer group has formed and the backlog is processed), then the collapsing runs start; the warm-up time is
     * printed, because a freshly started platform needs it once.
     */
    private static Map<String, Long> produce(KafkaRoutingSink sink, int rate, int seconds, WindowedLoads windows)
            throws Exception {
        double tokensPerSecond = (double) rate / LAYERS;
        sink.runStarted(run("bg"));
        Map<String, Long> firstTokenAt = new HashMap<>();
        long start = System.nanoTime();
        long sent = 0;
        double live = -1;
        double nextCollapse = Double.MAX_VALUE;
        while (true) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            boolean current = !windows.loads("bg", Instant.now().minusSeconds(1)).isEmpty();
            if (live < 0 && (current || elapsed > 120)) {
                live = elapsed;
                nextCollapse = elapsed + 5;
                System.out.printf(current ? "stream live after %.1f s of background load%n"
                        : "stream still behind after %.1f s of background load; measuring anyway%n", live);
            }
            if (live >= 0 && elapsed >= live + seconds) {
                break;
            }
            if (elapsed >= nextCollapse && elapsed < live + seconds - 5) {
                String runId = "c-" + (int) nextCollapse;
                sink.runStarted(run(runId));
                firstTokenAt.put(runId, System.currentTimeMillis());
                for (int t = 0; t < 50; t++) {
                    sink.token(token(runId, t, true));
                }
                sent += 50;
                nextCollapse += 2;
            }
            while (sent < elapsed * tokensPerSecond) {
                sink.token(token("bg", (int) sent, false));
                sent++;
            }
            Thread.sleep(1);
        }
        return firstTokenAt;
    }

    private static void report(JdbcTemplate jdbc, Map<String, Long> firstTokenAt) throws InterruptedException {
        Map<String, Long> firedAt = new HashMap<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (firedAt.size() < firstTokenAt.size() && System.currentTimeMillis() < deadline) {
            jdbc.query("SELECT subject, min(at) FROM alert_event WHERE rule_name = 'routing collapse'"
                    + " AND to_state = 'FIRING' AND subject LIKE 'c-%/layer 0' GROUP BY subject", rs -> {
                        Timestamp at = rs.getTimestamp(2);
                        firedAt.put(rs.getString(1).replace("/layer 0", ""), at.getTime());
                    });
            Thread.sleep(200);
        }
        var latencies = new ArrayList<Long>();
        firstTokenAt.forEach((run, t0) -> {
            Long fired = firedAt.get(run);
            if (fired != null) {
                latencies.add(fired - t0);
            }
        });
        latencies.sort(null);
        if (latencies.isEmpty()) {
            System.out.println("no alert fired within 60 s");
            return;
        }
        System.out.printf("alert latency over %d of %d runs: p50 %d ms, p95 %d ms, max %d ms%n", latencies.size(),
                firstTokenAt.size(), pct(latencies, 0.5), pct(latencies, 0.95), latencies.get(latencies.size() - 1));
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    private static RunLifecycle run(String runId) {
        return new RunLifecycle(runId, runId, RunStatus.STARTED, System.currentTimeMillis() * 1000, "probe", MODEL, 0);
    }

    /** Healthy: experts spread evenly; collapsed: always experts 0 and 1. */
    private static TokenRouting token(String runId, int t, boolean collapsed) {
        var decisions = new ArrayList<RouterDecision>(LAYERS);
        for (int l = 0; l < LAYERS; l++) {
            int a = collapsed ? 0 : (t + l) % EXPERTS;
            int b = collapsed ? 1 : (t + l + 3) % EXPERTS;
            decisions.add(new RouterDecision(l, new int[] {a, b}, new float[] {0.6f, 0.4f}, 1.0f));
        }
        return new TokenRouting(runId, "r" + (t / 1000), t % 1000, 5, Phase.DECODE, System.currentTimeMillis() * 1000,
                decisions);
    }
}
