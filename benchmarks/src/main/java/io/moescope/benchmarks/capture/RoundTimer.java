package io.moescope.benchmarks.capture;

import io.moescope.events.Phase;
import io.moescope.probe.run.ProbeListener;

/**
 * Times the decode steps of one bench round from the runner's callbacks, in wall time and in CPU time of the
 * generating thread (the callbacks run on it). A decode step counts from the end of the previous step of the same
 * request to its own end, so it includes the capture of the token before it: what capture costs decoding. The first
 * decode step of a request follows the prefill and would carry the prefill's capture, so it is not counted.
 */
final class RoundTimer implements ProbeListener {

    private final StepClock clock;
    private String lastRequest;
    private Phase lastPhase;
    private long lastWall;
    private long lastCpu;
    private long steps;
    private long wallNanos;
    private long cpuNanos;

    RoundTimer(StepClock clock) {
        this.clock = clock;
    }

    @Override
    public void stepTimed(String requestId, Phase phase, int tokens, long nanos) {
        boolean continues = phase == Phase.DECODE && lastPhase == Phase.DECODE && requestId.equals(lastRequest);
        long wall = clock.wallNanos();
        long cpu = clock.cpuNanos();
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
     * @param deliveryCpuSeconds the delivery threads' CPU over the round; 0 with capture off
     * @param events             token events the round sent; 0 with capture off
     */
    Round round(double deliveryCpuSeconds, long events) {
        return new Round(steps, wallNanos / 1e9, cpuNanos / 1e9, deliveryCpuSeconds, events);
    }
}
