package io.moescope.benchmarks.capture;

import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.probe.run.ProbeListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Times every decode step of a run with alternating capture ({@code ProbeRunner.Session#runAlternatingCapture})
 * from the runner's callbacks, which run on the generating thread, and pairs steps 2j and 2j + 1 of each request.
 *
 * <p>A step runs from the end of the previous step of its request (the prefill, for step 0) to its own end, which
 * is its {@link #stepTimed} callback, or, when the step was captured, the {@link #tokenRouted} callback after the
 * sink took its event. So a captured step's span holds everything capture adds on the generating thread: the
 * entropy in the forward pass, building the {@link TokenRouting}, encoding and queueing it; and both kinds of
 * step hold the same generation work (sampling the token, the forward pass, the step's bookkeeping). A step is
 * known to be captured only when its event arrives, so its span is closed at the next step's start.
 */
final class StepPairTimer implements ProbeListener {

    /** One timed step; {@code captured} when the sink got its event. */
    private record Step(int index, boolean captured, long wallNanos, long cpuNanos) {
    }

    private final StepClock clock;
    private final List<StepPair> pairs = new ArrayList<>();
    private String request;
    private int stepIndex;
    private boolean inStep;
    private boolean captured;
    private long startWall;
    private long startCpu;
    private long lastWall;
    private long lastCpu;
    private Step waiting;
    private long capturedSteps;
    private long capturedCpuNanos;
    private long directNanos;

    StepPairTimer(StepClock clock) {
        this.clock = clock;
    }

    @Override
    public void stepTimed(String requestId, Phase phase, int tokens, long nanos) {
        long wall = clock.wallNanos();
        long cpu = clock.cpuNanos();
        finishStep();
        if (phase == Phase.PREFILL) {
            request = requestId;
            stepIndex = -1;
            waiting = null;
        } else {
            if (!requestId.equals(request)) {
                throw new IllegalStateException("decode step of request " + requestId + " without its prefill");
            }
            stepIndex++;
            inStep = true;
            captured = false;
            startWall = lastWall;
            startCpu = lastCpu;
        }
        lastWall = wall;
        lastCpu = cpu;
    }

    /** The sink took a captured step's event: the step ends here. */
    @Override
    public void tokenRouted(TokenRouting token) {
        if (!inStep || token.phase() != Phase.DECODE) {
            throw new IllegalStateException("a run with alternating capture routes decode steps only, but routed "
                    + token.phase() + " token " + token.tokenIndex() + " of " + token.requestId());
        }
        long wall = clock.wallNanos();
        long cpu = clock.cpuNanos();
        // CPU, not wall: a thread descheduled in this short stretch would count a neighbour's time slice.
        directNanos += cpu - lastCpu;
        captured = true;
        lastWall = wall;
        lastCpu = cpu;
    }

    @Override
    public void requestFinished(String requestId, int promptTokens, int generatedTokens) {
        finishStep();
        waiting = null;
    }

    /** @param firstDecodeStepCaptured the round's parity, for the report */
    AlternatingRound round(boolean firstDecodeStepCaptured) {
        finishStep();
        return new AlternatingRound(firstDecodeStepCaptured, pairs, capturedSteps, capturedCpuNanos / 1e9,
                directNanos / 1e9);
    }

    private void finishStep() {
        if (!inStep) {
            return;
        }
        inStep = false;
        var step = new Step(stepIndex, captured, lastWall - startWall, lastCpu - startCpu);
        if (captured) {
            capturedSteps++;
            capturedCpuNanos += step.cpuNanos();
        }
        if (step.index() % 2 == 0) {
            waiting = step;
        } else if (waiting != null) {
            pairs.add(pair(waiting, step));
            waiting = null;
        }
    }

    private StepPair pair(Step even, Step odd) {
        if (even.captured() == odd.captured()) {
            throw new IllegalStateException("decode steps " + even.index() + " and " + odd.index() + " of request "
                    + request + " were " + (even.captured() ? "both" : "neither") + " captured; a run with "
                    + "alternating capture captures one of each pair");
        }
        Step on = even.captured() ? even : odd;
        Step off = even.captured() ? odd : even;
        return new StepPair(on.wallNanos() / 1e9, on.cpuNanos() / 1e9, off.wallNanos() / 1e9, off.cpuNanos() / 1e9);
    }
}
