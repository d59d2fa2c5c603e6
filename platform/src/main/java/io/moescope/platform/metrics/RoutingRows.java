package io.moescope.platform.metrics;

import io.moescope.analytics.evidence.ResamplingUnits;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.events.ExpertCounts;
import io.moescope.events.TokenRouting;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.routing.RoutingReader;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Streams the raw decisions of a token set out of {@code token_routing}, ordered by the requests' arrival (their
 * request keys) and token index, in constant memory (storage's {@link RoutingReader}: a cursor instead of a result
 * list, so a run of 10 M decisions never sits in the heap).
 */
@Component
public class RoutingRows {

    private final RoutingReader reader;
    private final ExpertCountSteps countSteps;

    RoutingRows(RoutingReader reader, ExpertCountSteps countSteps) {
        this.reader = reader;
        this.countSteps = countSteps;
    }

    /** Hands every token of the set to {@code sink}, request by request as they arrived, tokens in index order. */
    public void forEach(TokenSet set, Consumer<TokenRouting> sink) {
        reader.forEach(set.runId(), set.requestId(), set.phase(), set.from(), set.to(), sink);
    }

    /**
     * Hands every token of the set to {@code tokens}, then, where the set is a whole run or one phase of it, the
     * run's steps of counts to {@code steps} (an aggregate-only run's data: none for a run of tokens). An ad-hoc
     * subset (a request, a time range) holds tokens only.
     */
    public void forEach(TokenSet set, Consumer<TokenRouting> tokens, Consumer<ExpertCounts> steps) {
        forEach(set, tokens);
        if (set.coveredByRollups()) {
            forEachStep(set.runId(), step -> {
                if (set.phase().isEmpty() || set.phase().get() == step.phase()) {
                    steps.accept(step);
                }
            });
        }
    }

    /** Hands the run's steps of counts to {@code steps}: an aggregate-only run's data, none for a run of tokens. */
    public void forEachStep(String runId, Consumer<ExpertCounts> steps) {
        countSteps.forEach(runId, steps);
    }

    /**
     * Hands every token of the run's requests that arrived after {@code afterRequest} (every request when empty) to
     * {@code tokens}, in the order of {@link #forEach}, with the tokens the run held in the snapshot they were read
     * from ({@link RoutingReader#forEachAfter}).
     *
     * @return the run's tokens in that snapshot
     */
    public long forEachAfter(String runId, Optional<String> afterRequest, Consumer<TokenRouting> tokens) {
        return reader.forEachAfter(runId, afterRequest, tokens);
    }

    /**
     * A set's resampling units for its intervals, from one pass over its tokens and steps: its requests, or blocks of
     * tokens or its steps where requests are not told apart ({@link RequestSeparation#units}).
     */
    public ResamplingUnits units(TokenSet set, RequestSeparation separation, int numExperts) {
        ResamplingUnits units = separation.units(numExperts);
        forEach(set, units, units::acceptStep);
        return units;
    }
}
