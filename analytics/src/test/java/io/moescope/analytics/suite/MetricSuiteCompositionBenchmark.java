package io.moescope.analytics.suite;

import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What composing a suite ({@link MetricSuite#of}) costs over SuiteBenchmark's synthetic run at 10 M decisions
 * (352,500 tokens, its last live round: 32 layers, top-2 of 8, token ids t * 7919 mod 32000 so that every id is seen
 * at least 10 times, requests of 1,000 tokens), without PostgreSQL: one pass over the tokens, then each round
 * composes a copy of it. Not a specification, so it runs only with {@code -Dmoescope.benchmark=true}:
 * {@code mvn -o -q -pl analytics -am test -Dtest=MetricSuiteCompositionBenchmark -Dmoescope.benchmark=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. Results go to the test's output file (target/surefire-reports).
 */
@EnabledIfSystemProperty(named = "moescope.benchmark", matches = "true")
class MetricSuiteCompositionBenchmark {

    private static final int TOKENS = 352_500;
    private static final int LAYERS = 32;
    private static final int EXPERTS = 8;
    private static final int REQUEST_TOKENS = 1000;
    private static final int ROUNDS = 11;

    @Test
    void millisecondsPerComposition() {
        SuiteOptions options = SuiteOptions.defaults();
        var pass = new SequencePass(EXPERTS, 0, options.warmupSettings(EXPERTS), true, RequestSeparation.SEPARABLE);
        for (long t = 0; t < TOKENS; t++) {
            pass.accept(token(t));
        }
        double[] millis = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            SequencePass copy = pass.copy();
            copy.finish();
            long t0 = System.nanoTime();
            MetricSuite.of("bench", "the whole run", EXPERTS, 2, copy.loads(), "raw decisions", copy, options.tau(),
                    new RoutingJudge(List.of(), "bench"));
            millis[round] = (System.nanoTime() - t0) / 1e6;
        }
        double[] settled = Arrays.copyOfRange(millis, 2, ROUNDS); // the first rounds run before the JIT compiled
        Arrays.sort(settled);
        System.out.printf("%,d tokens x %d layers (top-2 of %d): compose median %.0f ms (min %.0f, max %.0f) over"
                + " rounds 3-%d%n", TOKENS, LAYERS, EXPERTS, settled[settled.length / 2], settled[0],
                settled[settled.length - 1], ROUNDS);
    }

    /** SuiteBenchmark's token t: the first fifth of a request prefill, experts as its SQL routes them. */
    private static TokenRouting token(long t) {
        var decisions = new ArrayList<RouterDecision>(LAYERS);
        for (int layer = 0; layer < LAYERS; layer++) {
            int first = (int) ((t * 31 + layer * 17) % 10 < 4 ? 0 : (t * 13 + layer * 7) % EXPERTS);
            int second = (int) ((first + 1 + (t * 3 + layer) % (EXPERTS - 2)) % EXPERTS);
            decisions.add(new RouterDecision(layer, new int[] {first, second}, new float[] {0.5f, 0.5f}, 1f));
        }
        int index = (int) (t % REQUEST_TOKENS);
        return new TokenRouting("bench", "req-%06d".formatted(t / REQUEST_TOKENS), index, (int) (t * 7919 % 32000),
                index < REQUEST_TOKENS / 5 ? Phase.PREFILL : Phase.DECODE, t * 1000, decisions);
    }
}
