package io.moescope.probe.model;

/**
 * The probe's default number of PyTorch intra-op threads, from the machine and the model. Two limits:
 * <ul>
 *   <li>the machine: all processors the JVM sees but one, which stays free for what runs beside the maths (the
 *   delivery threads that send each step's routing events, the garbage collector). On a 2-core machine that is one
 *   thread: measured there, a second intra-op thread made both prefill and decode slower;</li>
 *   <li>the model: one thread per {@value #ACTIVE_PARAMETERS_PER_THREAD} parameters a token activates. Each operation
 *   pays OpenMP's fork and join on every thread; a small model's operations are too short to repay it (the demo
 *   model decodes several times faster on one thread than on two).</li>
 * </ul>
 * A user's {@code --threads} replaces the choice.
 */
public final class IntraOpThreads {

    /** Active parameters per token that make the work of one thread worth its synchronisation. */
    public static final long ACTIVE_PARAMETERS_PER_THREAD = 50_000_000L;

    private IntraOpThreads() {
    }

    /**
     * @param processors       {@code Runtime.availableProcessors()}
     * @param activeParameters parameters one token passes through (see {@code ParameterCounts})
     * @return at least 1
     */
    public static int choose(int processors, long activeParameters) {
        if (processors < 1 || activeParameters < 0) {
            throw new IllegalArgumentException("processors must be at least 1 and active parameters not negative"
                    + " but were " + processors + " and " + activeParameters);
        }
        long forModel = activeParameters / ACTIVE_PARAMETERS_PER_THREAD;
        return (int) Math.max(1, Math.min(processors - 1, forModel));
    }
}
