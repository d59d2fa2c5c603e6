package io.moescope.probe.run;

import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.probe.model.ForwardResult;
import io.moescope.probe.model.MoeModel;
import io.moescope.probe.model.Sequence;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Greedy generation for one request, turning every forward step into {@link TokenRouting} records: the prompt in
 * one prefill step, then one decode step per generated token.
 *
 * <p>Every generated token is fed through the model once, so it gets a routing record like every prompt token:
 * the last generated token's forward pass runs although its logits are not needed. An end-of-sequence token ends the
 * request without being fed back, so it is neither counted nor routed.
 */
final class RequestGenerator {

    /** Token counts and generated ids of a finished request. */
    record Outcome(int promptTokens, List<Integer> generated) {
    }

    /** Told after each forward step (for the expert cache events of offloading). */
    @FunctionalInterface
    interface StepObserver {
        StepObserver NONE = (requestId, firstTokenIndex, tokens, timestampMicros) -> { };

        void stepDone(String requestId, int firstTokenIndex, int tokens, long timestampMicros);
    }

    private final MoeModel model;
    private final Clock clock;
    private final StepObserver observer;

    RequestGenerator(MoeModel model, Clock clock) {
        this(model, clock, StepObserver.NONE);
    }

    RequestGenerator(MoeModel model, Clock clock, StepObserver observer) {
        this.model = model;
        this.clock = clock;
        this.observer = observer;
    }

    Outcome generate(String runId, String requestId, int[] promptIds, int maxNewTokens, Consumer<TokenRouting> emit) {
        int eos = model.config().eosTokenId();
        // Never step past the model's context: generation ends early instead of failing.
        int limit = Math.min(maxNewTokens, model.config().maxPositionEmbeddings() - promptIds.length);
        var generated = new ArrayList<Integer>();
        try (Sequence sequence = model.newSequence()) {
            ForwardResult step = sequence.forward(promptIds);
            long timestamp = micros(clock.instant());
            observer.stepDone(requestId, 0, promptIds.length, timestamp);
            for (int t = 0; t < promptIds.length; t++) {
                emit.accept(new TokenRouting(runId, requestId, t, promptIds[t], Phase.PREFILL, timestamp,
                        step.decisions(t)));
            }
            int next = step.argmax();
            while (generated.size() < limit && next != eos) {
                step = sequence.forward(new int[] {next});
                long at = micros(clock.instant());
                int index = promptIds.length + generated.size();
                observer.stepDone(requestId, index, 1, at);
                emit.accept(new TokenRouting(runId, requestId, index, next, Phase.DECODE, at, step.decisions(0)));
                generated.add(next);
                next = step.argmax();
            }
        }
        return new Outcome(promptIds.length, generated);
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}
