package io.moescope.ingest.monitoring;

import java.time.Clock;

/** Events per second over the last few whole seconds: a ring of per-second sums. Thread-safe. */
final class RateWindow {

    private final Clock clock;
    private final int seconds;
    private final long[] sums;
    private final long[] secondOf;

    RateWindow(Clock clock, int seconds) {
        this.clock = clock;
        this.seconds = seconds;
        this.sums = new long[seconds + 1];
        this.secondOf = new long[seconds + 1];
    }

    synchronized void add(long amount) {
        long now = clock.millis() / 1000;
        int slot = (int) (now % sums.length);
        if (secondOf[slot] != now) {
            secondOf[slot] = now;
            sums[slot] = 0;
        }
        sums[slot] += amount;
    }

    /** The mean over the {@code seconds} whole seconds before the current one. */
    synchronized double perSecond() {
        long now = clock.millis() / 1000;
        long total = 0;
        for (int i = 0; i < sums.length; i++) {
            long age = now - secondOf[i];
            if (age >= 1 && age <= seconds) {
                total += sums[i];
            }
        }
        return (double) total / seconds;
    }
}
