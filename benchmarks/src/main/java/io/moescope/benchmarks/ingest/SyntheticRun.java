package io.moescope.benchmarks.ingest;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A deterministic synthetic run for benchmarks: {@code requests} requests of {@code tokensPerRequest} tokens, each
 * routed at {@code layers} MoE layers to top-{@code topK} of {@code experts} experts with a skewed (Zipf-like)
 * popularity per layer, the first quarter of each request prefill, the tokens spread evenly over {@code span} from
 * {@code start}. Token {@code (request, index)} is the same on every call.
 */
public record SyntheticRun(String runId, int requests, int tokensPerRequest, int layers, int experts, int topK,
                           Instant start, Duration span) {

    public long tokens() {
        return (long) requests * tokensPerRequest;
    }

    public long decisions() {
        return tokens() * layers;
    }

    /** A run of at least {@code decisions} decisions in requests of 1000 tokens. */
    public static SyntheticRun ofDecisions(String runId, long decisions, int layers, int experts, int topK,
                                           Instant start, Duration span) {
        long tokens = (decisions + layers - 1) / layers;
        int tokensPerRequest = (int) Math.min(1000, tokens);
        int requests = (int) ((tokens + tokensPerRequest - 1) / tokensPerRequest);
        return new SyntheticRun(runId, requests, tokensPerRequest, layers, experts, topK, start, span);
    }

    public ModelIdentity model() {
        return new ModelIdentity("synthetic-" + experts + "x" + topK, "MixtralForCausalLM", experts, topK, layers,
                IntStream.range(0, layers).boxed().toList(), 46_700_000_000L, 12_900_000_000L);
    }

    public RunLifecycle started() {
        return new RunLifecycle(runId, runId, RunStatus.STARTED, micros(start), "replay", model(), 0);
    }

    /** The run's end, at the end of its span, with all its tokens reported. */
    public RunLifecycle finished() {
        return new RunLifecycle(runId, runId, RunStatus.FINISHED, micros(start.plus(span)), "replay", model(),
                tokens());
    }

    /** Tokens in Kafka order: all requests' token 0, then all token 1, ... (requests run side by side). */
    public TokenRouting token(long ordinal) {
        return token(requestOf(ordinal), (int) (ordinal / requests));
    }

    /** The request (0 to {@code requests - 1}) of the token at {@code ordinal} in Kafka order. */
    public int requestOf(long ordinal) {
        return (int) (ordinal % requests);
    }

    public TokenRouting token(int request, int index) {
        long ordinal = (long) index * requests + request;
        var random = new SplittableRandom(ordinal * 0x9E3779B97F4A7C15L ^ runId.hashCode());
        var decisions = new ArrayList<RouterDecision>(layers);
        for (int layer = 0; layer < layers; layer++) {
            int[] ids = new int[topK];
            float[] weights = new float[topK];
            float sum = 0;
            for (int j = 0; j < topK; j++) {
                int expert;
                do {
                    expert = skewed(random, layer);
                } while (contains(ids, j, expert));
                ids[j] = expert;
                weights[j] = 1f / (j + 1 + random.nextInt(3));
                sum += weights[j];
            }
            for (int j = 0; j < topK; j++) {
                weights[j] /= sum;
            }
            decisions.add(new RouterDecision(layer, ids, weights,
                    (float) (random.nextDouble() * Math.log(experts))));
        }
        long offsetMicros = span.toNanos() / 1000 * ordinal / Math.max(1, tokens());
        Phase phase = index < tokensPerRequest / 4 ? Phase.PREFILL : Phase.DECODE;
        return new TokenRouting(runId, "req-" + request, index, random.nextInt(32_000), phase,
                micros(start) + offsetMicros, decisions);
    }

    /** Tokens {@code from} (inclusive) to {@code to} (exclusive) in Kafka order. */
    public List<TokenRouting> tokens(long from, long to) {
        var list = new ArrayList<TokenRouting>((int) (to - from));
        for (long i = from; i < to; i++) {
            list.add(token(i));
        }
        return list;
    }

    /** Expert popularity falls off like 1/(rank+1)^0.8, with the ranking rotated per layer. */
    private int skewed(SplittableRandom random, int layer) {
        double u = random.nextDouble();
        // Inverse of the continuous approximation of the Zipf CDF with s = 0.8 over [1, experts + 1).
        double s = 0.8;
        double max = Math.pow(experts + 1, 1 - s) - 1;
        int rank = (int) (Math.pow(u * max + 1, 1 / (1 - s)) - 1);
        return (Math.min(rank, experts - 1) + layer * 7) % experts;
    }

    private static boolean contains(int[] ids, int count, int expert) {
        for (int i = 0; i < count; i++) {
            if (ids[i] == expert) {
                return true;
            }
        }
        return false;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }
}
