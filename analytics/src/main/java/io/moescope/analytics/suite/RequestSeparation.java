package io.moescope.analytics.suite;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.evidence.UnitBoundary;
import java.util.function.Supplier;

/**
 * Whether a run's tokens can be grouped into requests, each in generation order. Sequence metrics (routing
 * consistency, warm-up per request, compare's top-k overlap of tokens matched by request and position) pair a token
 * with its neighbour or its counterpart; where the trace logged one request id for a batch of prompts, neighbours
 * belong to different prompts and those figures would be numbers about nothing, so they are undefined with this
 * reason instead.
 *
 * @param notSeparableBecause why the requests cannot be told apart, as the run recorded it; null when they can
 */
public record RequestSeparation(String notSeparableBecause) {

    public static final RequestSeparation SEPARABLE = new RequestSeparation(null);

    public RequestSeparation {
        if (notSeparableBecause != null && notSeparableBecause.isBlank()) {
            throw new IllegalArgumentException("a run whose requests cannot be told apart needs the reason");
        }
    }

    /** @param notSeparableBecause the run's stored reason, or null */
    public static RequestSeparation of(String notSeparableBecause) {
        return notSeparableBecause == null ? SEPARABLE : new RequestSeparation(notSeparableBecause);
    }

    /** Two runs compared token by token: separable only when both are, else naming the run(s) that are not. */
    public static RequestSeparation ofPair(String runA, RequestSeparation a, String runB, RequestSeparation b) {
        if (a.separable() && b.separable()) {
            return SEPARABLE;
        }
        if (!a.separable() && !b.separable()) {
            return new RequestSeparation("run " + runA + ": " + a.notSeparableBecause + "; run " + runB + ": "
                    + b.notSeparableBecause);
        }
        return a.separable() ? new RequestSeparation("run " + runB + ": " + b.notSeparableBecause)
                : new RequestSeparation("run " + runA + ": " + a.notSeparableBecause);
    }

    public boolean separable() {
        return notSeparableBecause == null;
    }

    /** The units intervals rest on: requests where they can be told apart, else blocks of consecutive tokens. */
    public UnitBoundary unitBoundary() {
        return separable() ? UnitBoundary.requests() : UnitBoundary.tokenBlocks();
    }

    /** The units the bootstrap resamples, as {@link #unitBoundary} tells them apart. */
    public ResamplingUnits units(int numExperts) {
        return ResamplingUnits.of(numExperts, unitBoundary());
    }

    /** A sequence metric: {@code figure}'s answer when requests are separable, else undefined saying why not. */
    public <T> Defined<T> sequenceFigure(Supplier<Defined<T>> figure) {
        return separable() ? figure.get() : Defined.undefined("requests cannot be told apart: " + notSeparableBecause);
    }
}
