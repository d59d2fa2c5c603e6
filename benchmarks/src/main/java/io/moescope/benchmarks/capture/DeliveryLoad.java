package io.moescope.benchmarks.capture;

/**
 * What the probe's delivery threads (Kafka sender, producer network thread) spend while every step is captured, as
 * in a probe run, against what the generating thread spends generating. Measured apart from the step pairs: those
 * threads run beside the generating thread, so what they take from it lands on captured and uncaptured steps alike,
 * and with every other step captured they would see half a run's events at the same number of wake-ups. The
 * in-process broker's threads are not counted (a real deployment runs the broker elsewhere).
 *
 * @param deliveryCpuSeconds   the delivery threads' CPU from the first event to the last acknowledgement
 * @param generatingCpuSeconds the generating thread's CPU over the same runs (prefill and decode, capture on)
 * @param events               token events sent
 */
public record DeliveryLoad(double deliveryCpuSeconds, double generatingCpuSeconds, long events) {

    public DeliveryLoad {
        if (!(generatingCpuSeconds > 0) || events < 1) {
            throw new IllegalArgumentException("delivery is measured over at least one event and some generation, "
                    + "but had " + events + " events and " + generatingCpuSeconds + " s of generation");
        }
    }

    /** Delivery CPU per unit of generating CPU: the share capture adds on other threads. */
    public double share() {
        return deliveryCpuSeconds / generatingCpuSeconds;
    }

    public double cpuPerEvent() {
        return deliveryCpuSeconds / events;
    }
}
