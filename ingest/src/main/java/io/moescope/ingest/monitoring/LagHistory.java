package io.moescope.ingest.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The consumer group's total lag over time, and the verdict the health indicator draws from it. Lag that goes up and
 * down is normal (bursts); what is not:
 * <ul>
 *   <li>{@link Trend#FALLING_BEHIND}: over a whole window the lag never went down and ended higher: ingest is slower
 *       than the producers and the backlog grows without bound;</li>
 *   <li>{@link Trend#STALLED}: over a whole window the committed offsets did not move although there was lag:
 *       nothing is being stored.</li>
 * </ul>
 * Thread-safe.
 */
public final class LagHistory {

    public enum Trend {
        /** Fewer samples than a window's worth so far. */
        UNKNOWN,
        KEEPING_UP,
        FALLING_BEHIND,
        STALLED
    }

    /** One measurement: total lag and the sum of committed offsets at a moment. */
    public record Sample(Instant at, long lag, long committed) {
    }

    private final Duration window;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public LagHistory(Duration window) {
        this.window = window;
    }

    public synchronized void record(Sample sample) {
        samples.addLast(sample);
        // Keep exactly one sample at or before the window's start, so the window is known to be covered.
        Instant start = sample.at().minus(window);
        while (samples.size() > 1) {
            Iterator<Sample> it = samples.iterator();
            it.next();
            if (it.next().at().isAfter(start)) {
                break;
            }
            samples.removeFirst();
        }
    }

    public synchronized Sample latest() {
        return samples.peekLast();
    }

    public synchronized Trend trend(Instant now) {
        if (samples.size() < 3 || samples.peekFirst().at().isAfter(now.minus(window))) {
            return Trend.UNKNOWN;
        }
        List<Sample> list = new ArrayList<>(samples);
        Sample first = list.get(0);
        Sample last = list.get(list.size() - 1);
        if (last.committed() == first.committed() && list.stream().allMatch(s -> s.lag() > 0)) {
            return Trend.STALLED;
        }
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).lag() < list.get(i - 1).lag()) {
                return Trend.KEEPING_UP;
            }
        }
        return last.lag() > first.lag() ? Trend.FALLING_BEHIND : Trend.KEEPING_UP;
    }

    public Duration window() {
        return window;
    }
}
