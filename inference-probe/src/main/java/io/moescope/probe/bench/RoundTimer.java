package io.moescope.probe.bench;

import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.probe.run.ProbeListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Times the decode steps of one bench round from the runner's callbacks, in wall time and in CPU time of the
 * generating thread (the callbacks run on it). A decode step counts from the end of the previous step of the same
 * request to its own end, so it includes the capture of the token before it: what capture costs decoding. The first
 * decode step of a request follows the prefill and would carry the prefill's capture, so it is not counted.
 */
final class RoundTimer implements ProbeListener {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private String lastRequest;
    private Phase lastPhase;
    private long lastWall;
    private long lastCpu;
    private long steps;
    private long wallNanos;
    private long cpuNanos;
    private long captureNanos;
    private long capturedTokens;

    @Override
    public void stepTimed(String requestId, Phase phase, int tokens, long nanos) {
        boolean continues = phase == Phase.DECODE && lastPhase == Phase.DECODE && requestId.equals(lastRequest);
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        if (continues) {
            steps++;
            wallNanos += wall - lastWall;
            cpuNanos += cpu - lastCpu;
        }
        lastRequest = requestId;
        lastPhase = phase;
        lastWall = wall;
        lastCpu = cpu;
    }

    /**
     * Called right after the sink took the token: since this step's {@link #stepTimed} the generating thread built
     * the event and handed it to the sink (encode + queue), the direct part of capture (entropy aside: it is computed
     * in the forward pass).
     */
    @Override
    public void tokenRouted(TokenRouting token) {
        if (token.phase() == Phase.DECODE) {
            // CPU, not wall: a thread descheduled in this short stretch would count a neighbour's time slice.
            captureNanos += threads.getCurrentThreadCpuTime() - lastCpu;
            capturedTokens++;
        }
    }

    /**
     * @param deliveryCpuSeconds the delivery threads' CPU over the round; 0 with capture off
     * @param events             token events the round sent; 0 with capture off
     */
    Round round(double deliveryCpuSeconds, long events) {
        return new Round(steps, wallNanos / 1e9, cpuNanos / 1e9, deliveryCpuSeconds, events,
                capturedTokens == 0 ? 0 : captureNanos / 1e9 / capturedTokens);
    }
}
