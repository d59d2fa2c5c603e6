package io.moescope.benchmarks.capture;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Capture overhead from rounds with capture alternating per decode step: each captured step against its uncaptured
 * neighbour, in wall time and in CPU time. The CPU figure adds what the delivery threads spend per unit of
 * generation ({@link DeliveryLoad#share()}), which the pairing cannot see.
 *
 * <p>Two statistics of each: the median of the per-pair shares (robust: a step that lost its core to a neighbour
 * moves it little; the difference of two like steps is symmetric, so with no overhead the median is 0 however
 * skewed the step times are) and the ratio of sums (the mean extra time over the mean uncaptured time: what a
 * long run pays, but moved by every disturbed step). Each with a 95 % bootstrap interval over the pairs.
 *
 * @param rounds   the timed rounds
 * @param delivery the delivery threads' load, measured with every step captured
 */
public record StepOverhead(List<AlternatingRound> rounds, DeliveryLoad delivery) {

    public StepOverhead {
        rounds = List.copyOf(rounds);
        if (rounds.stream().allMatch(r -> r.pairs().isEmpty())) {
            throw new IllegalArgumentException("no captured/uncaptured step pairs to compare: every request needs at "
                    + "least two decode steps");
        }
    }

    public List<StepPair> pairs() {
        return rounds.stream().flatMap(r -> r.pairs().stream()).toList();
    }

    /** Per pair, the captured step's extra wall time over the uncaptured one's. */
    public Spread wall() {
        return Spread.of(pairs().stream().map(StepPair::wallShare).toList());
    }

    /** Per pair, the generating thread's extra CPU plus the delivery share. */
    public Spread cpu() {
        double share = delivery.share();
        return Spread.of(pairs().stream().map(p -> p.cpuShare() + share).toList());
    }

    /** Per pair, the generating thread's extra CPU alone. */
    public Spread generatingCpu() {
        return Spread.of(pairs().stream().map(StepPair::cpuShare).toList());
    }

    public SumRatio wallSum() {
        return sumRatio(StepPair::capturedWall, StepPair::plainWall, Bootstrap.seeded());
    }

    /** Generating thread's extra CPU over all pairs over their uncaptured CPU, plus the delivery share. */
    public SumRatio cpuSum() {
        return sumRatio(StepPair::capturedCpu, StepPair::plainCpu, Bootstrap.seeded()).plus(delivery.share());
    }

    /** Direct capture CPU per captured step, seconds. */
    public double directCapturePerStep() {
        return rounds.stream().mapToDouble(AlternatingRound::directCaptureSeconds).sum() / capturedSteps();
    }

    /** Median uncaptured step, wall seconds. */
    public double medianPlainWall() {
        return median(StepPair::plainWall);
    }

    /** Median uncaptured step, CPU seconds of the generating thread. */
    public double medianPlainCpu() {
        return median(StepPair::plainCpu);
    }

    /** Decode tokens per second over the paired steps, captured ({@code true}) or not. */
    public double tokensPerSecond(boolean captured) {
        List<StepPair> pairs = pairs();
        return pairs.size() / pairs.stream().mapToDouble(p -> captured ? p.capturedWall() : p.plainWall()).sum();
    }

    SumRatio sumRatio(ToDoubleFunction<StepPair> captured, ToDoubleFunction<StepPair> plain, Bootstrap bootstrap) {
        List<StepPair> pairs = pairs();
        double[] extra = pairs.stream().mapToDouble(p -> captured.applyAsDouble(p) - plain.applyAsDouble(p))
                .toArray();
        return SumRatio.of(extra, pairs.stream().mapToDouble(plain).toArray(), bootstrap);
    }

    private double median(ToDoubleFunction<StepPair> value) {
        return Bootstrap.quantile(pairs().stream().mapToDouble(value).sorted().toArray(), 0.5);
    }

    private long capturedSteps() {
        return rounds.stream().mapToLong(AlternatingRound::capturedSteps).sum();
    }
}
