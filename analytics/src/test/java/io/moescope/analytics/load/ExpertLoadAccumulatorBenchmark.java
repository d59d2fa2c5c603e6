package io.moescope.analytics.load;

import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What {@link ExpertLoadAccumulator} adds per decision to reading every expert id of the same tokens in memory
 * (bench-metrics' run shape: 32 layers, top-2 of 8), in alternated rounds: not a specification, so it runs only with
 * {@code -Dmoescope.benchmark=true}:
 * {@code mvn -o -q -pl analytics -am test -Dtest=ExpertLoadAccumulatorBenchmark -Dmoescope.benchmark=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 * Results go to the test's output file (target/surefire-reports).
 */
@EnabledIfSystemProperty(named = "moescope.benchmark", matches = "true")
class ExpertLoadAccumulatorBenchmark {

    private static final int TOKENS = 60_000;
    private static final int LAYERS = 32;
    private static final int EXPERTS = 8;
    private static final int ROUNDS = 12;

    @Test
    void nanosecondsPerDecision() {
        List<TokenRouting> run = run();
        double decisions = (double) TOKENS * LAYERS;
        double[] reading = new double[ROUNDS];
        double[] counting = new double[ROUNDS];
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            boolean readFirst = round % 2 == 0;
            long t0 = System.nanoTime();
            sink += readFirst ? readEveryExpertId(run) : count(run);
            long t1 = System.nanoTime();
            sink += readFirst ? count(run) : readEveryExpertId(run);
            long t2 = System.nanoTime();
            reading[round] = (readFirst ? t1 - t0 : t2 - t1) / decisions;
            counting[round] = (readFirst ? t2 - t1 : t1 - t0) / decisions;
        }
        // the first rounds run before the JIT has compiled the loops
        System.out.printf("%,d decisions (%d layers, top-2 of %d), ns per decision over rounds 3-%d: reading every"
                        + " expert id median %.1f, counting loads median %.1f (checksum %d)%n", (long) decisions,
                LAYERS, EXPERTS, ROUNDS, median(reading), median(counting), sink);
    }

    private static List<TokenRouting> run() {
        var random = new SplittableRandom(7);
        var run = new ArrayList<TokenRouting>(TOKENS);
        for (int t = 0; t < TOKENS; t++) {
            var decisions = new ArrayList<RouterDecision>(LAYERS);
            for (int layer = 0; layer < LAYERS; layer++) {
                int first = random.nextInt(EXPERTS);
                int second = (first + 1 + random.nextInt(EXPERTS - 1)) % EXPERTS;
                decisions.add(new RouterDecision(layer, new int[] {first, second}, new float[] {0.6f, 0.4f}, 1f));
            }
            run.add(new TokenRouting("run", "req", t, 1, Phase.DECODE, t, decisions));
        }
        return run;
    }

    private static long readEveryExpertId(List<TokenRouting> run) {
        long sum = 0;
        for (TokenRouting token : run) {
            for (RouterDecision decision : token.decisions()) {
                for (int expert : decision.expertIds()) {
                    sum += expert;
                }
            }
        }
        return sum;
    }

    private static long count(List<TokenRouting> run) {
        var accumulator = new ExpertLoadAccumulator(EXPERTS);
        run.forEach(accumulator::add);
        return accumulator.loads().size();
    }

    private static double median(double[] perRound) {
        double[] settled = Arrays.copyOfRange(perRound, 2, perRound.length);
        Arrays.sort(settled);
        return (settled[(settled.length - 1) / 2] + settled[settled.length / 2]) / 2;
    }
}
