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
 * Generation for one request (greedy or sampled), turning every forward step into {@link TokenRouting} records: the prompt in
 * one prefill step, then one decode step per generated token.
 *
 * <p>Every generated token is fed through the model once, so it gets a routing record like every prompt token:
 * the last generated token's forward pass runs although its logits are not needed. An end-of-sequence token ends the
 * request without being fed back, so it is neither counted nor routed.
 *
 * <p>Capture is decided per step ({@link StepCapture}). An uncaptured step builds nothing for the capture: no
 * entropy, no {@link TokenRouting}, no call to the consumer; the routing the forward pass needs for its dispatch is
 * all that is computed. The tokens are the same either way.
 */
final class RequestGenerator {

    /** Token counts and generated ids of a finished request. */
    record Outcome(int promptTokens, List<Integer> generated) {
    }

    /** Told after each forward step (expert cache events, step timings). */
    @FunctionalInterface
    interface StepObserver {
        /** @param nanos how long the step's forward pass took */
        void stepDone(String requestId, int firstTokenIndex, int tokens, long timestampMicros, long nanos);
    }

    private final MoeModel model;
    private final Clock clock;
    private final StepObserver observer;
    private final StepCapture capture;

    RequestGenerator(MoeModel model, Clock clock, StepObserver observer, StepCapture capture) {
        this.model = model;
        this.clock = clock;
        this.observer = observer;
        this.capture = capture;
    }

    Outcome generate(String runId, String requestId, int[] promptIds, int maxNewTokens, Sampling sampling,
                     Consumer<TokenRouting> emit) {
        var sampler = new Sampler(sampling, requestId);
        int eos = model.config().eosTokenId();
        // Never step past the model's context: generation ends early instead of failing.
        int limit = Math.min(maxNewTokens, model.config().maxPositionEmbeddings() - promptIds.length);
        var generated = new ArrayList<Integer>();
        try (Sequence sequence = model.newSequence()) {
            long started = System.nanoTime();
            ForwardResult step = sequence.forward(promptIds, capture.prefill());
            long timestamp = micros(clock.instant());
            observer.stepDone(requestId, 0, promptIds.length, timestamp, System.nanoTime() - started);
            for (int t = 0; capture.prefill() && t < promptIds.length; t++) {
                emit.accept(new TokenRouting(runId, requestId, t, promptIds[t], Phase.PREFILL, timestamp,
                        step.decisions(t)));
            }
            int next = sampler.next(step.lastLogits());
            while (generated.size() < limit && next != eos) {
                boolean captured = capture.decodeStep(generated.size());
                started = System.nanoTime();
                step = sequence.forward(new int[] {next}, captured);
                long at = micros(clock.instant());
                int index = promptIds.length + generated.size();
                observer.stepDone(requestId, index, 1, at, System.nanoTime() - started);
                if (captured) {
                    emit.accept(new TokenRouting(runId, requestId, index, next, Phase.DECODE, at,
                            step.decisions(0)));
                }
                generated.add(next);
                next = sampler.next(step.lastLogits());
            }
        }
        return new Outcome(promptIds.length, generated);
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}
