package io.moescope.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock moved by an offset the test sets: time passes as usual (components that wait on the clock still
 * get there), and a test jumps ahead or back instead of sleeping.
 */
public final class MutableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void setOffset(Duration offset) {
        this.offset = offset;
    }

    /** Moves the clock so that it reads {@code instant} now, and runs on from there. */
    public void set(Instant instant) {
        offset = Duration.between(Instant.now(), instant);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
