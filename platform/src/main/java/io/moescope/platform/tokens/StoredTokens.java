package io.moescope.platform.tokens;

import io.moescope.events.ModelIdentity;
import io.moescope.events.TokenRouting;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.routing.RunTokenReader;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * A stored run's identity and its tokens, read with constant memory through a server-side cursor (storage's
 * {@link RunTokenReader}). Export and replay read runs through it.
 */
@Service
public class StoredTokens {

    private final RunTokenReader reader;
    private final ExpertCountSteps countSteps;

    StoredTokens(RunTokenReader reader, ExpertCountSteps countSteps) {
        this.reader = reader;
        this.countSteps = countSteps;
    }

    /** Steps of expert counts the run holds instead of tokens: 0 for a run of tokens, more for an aggregate-only run. */
    public long countSteps(String runId) {
        return countSteps.stepsOf(runId);
    }

    /**
     * Refuses a run whose data is not tokens: what re-reads a run's tokens (export, replay) would give an aggregate-only
     * run (one imported from counts without tokens) as an empty run, losing every count.
     *
     * @param what what was asked, for the message ("an export", "a replay")
     * @throws AggregateOnlyRunException naming the run and its steps
     */
    public void requireTokens(String runId, String what) {
        long steps = countSteps(runId);
        if (steps > 0) {
            throw new AggregateOnlyRunException("run " + runId + " is aggregate-only: it holds " + steps + " steps of"
                    + " expert counts and no tokens, so " + what + " of its tokens would be empty; use the trace it was"
                    + " imported from instead");
        }
    }

    /** The run's name and model identity, or empty for an unknown run id. */
    public Optional<StoredRun> find(String runId) {
        return reader.find(runId, (name, model, notSeparable) -> new StoredRun(runId, name, model, notSeparable));
    }

    /** Hands {@code work} the run's tokens in {@code order}, as a lazily read iterator valid only during the call. */
    public <T> T withTokens(String runId, RunTokenReader.Order order, Function<Iterator<TokenRouting>, T> work) {
        return reader.withTokens(runId, order, work);
    }

    /**
     * As {@link #withTokens}, also handing {@code work} the number of tokens the iterator will hand out (counted in
     * the same snapshot), for an export's header.
     */
    public <T> T withCountedTokens(String runId, RunTokenReader.Order order,
                                   BiFunction<Long, Iterator<TokenRouting>, T> work) {
        return reader.withCountedTokens(runId, order, work);
    }

    /**
     * A run's export identity.
     *
     * @param requestsNotSeparable why its requests cannot be told apart; null when they can
     */
    public record StoredRun(String runId, String name, ModelIdentity model, String requestsNotSeparable) {
    }
}
