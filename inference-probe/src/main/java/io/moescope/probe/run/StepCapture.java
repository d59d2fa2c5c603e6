package io.moescope.probe.run;

/**
 * Which forward steps of a request capture their routing (entropy, a {@link io.moescope.events.TokenRouting} per
 * token, the sink call). A probe run captures every step and a run without capture none; the capture bench
 * alternates decode steps within each request, so that a captured step and its uncaptured neighbour ran on the same
 * machine state. The tokens generated do not depend on it.
 *
 * @param prefill         whether the prompt's step is captured
 * @param evenDecodeSteps whether decode steps 0, 2, 4, ... (0: the one that feeds the first generated token) are
 * @param oddDecodeSteps  whether decode steps 1, 3, 5, ... are
 */
public record StepCapture(boolean prefill, boolean evenDecodeSteps, boolean oddDecodeSteps) {

    public static final StepCapture ALL = new StepCapture(true, true, true);
    public static final StepCapture NONE = new StepCapture(false, false, false);

    /**
     * Every other decode step, starting with the first when {@code firstDecodeStep} is true and with the second
     * otherwise; the prefill is not captured (it is not decode time, and its events would only add delivery work).
     */
    public static StepCapture alternating(boolean firstDecodeStep) {
        return new StepCapture(false, firstDecodeStep, !firstDecodeStep);
    }

    /** Whether decode step {@code step} (0-based within its request) is captured. */
    public boolean decodeStep(int step) {
        return step % 2 == 0 ? evenDecodeSteps : oddDecodeSteps;
    }
}
