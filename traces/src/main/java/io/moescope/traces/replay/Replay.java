package io.moescope.traces.replay;

import io.moescope.events.ModelIdentity;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.traces.RoutingSink;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Re-streams a stored run's decisions as a new run (source {@code replay}) at the original pace times {@code speed}:
 * a token routed {@code d} after the run's first token is sent {@code d / speed} after the replay started (speed
 * {@code <= 0}: as fast as possible). Tokens carry the time they are sent, so live views see them arrive now.
 * Cancelling ends the new run as FAILED with the tokens sent so far.
 */
public final class Replay {

    /** Waits; tests pass one that advances a fake clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepMicros(long micros) throws InterruptedException;
    }

    public static final String SOURCE = "replay";

    private static final long MAX_SLEEP_MICROS = 100_000;

    private final Clock clock;
    private final Sleeper sleeper;

    public Replay(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static Sleeper realTime() {
        return micros -> Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
    }

    /**
     * What the new run is a copy of.
     *
     * @param runName              the new run's name
     * @param model                the stored run's model
     * @param requestsNotSeparable the stored run's reason its requests cannot be told apart (null when they can):
     *                             a replay sends the same tokens, so its sequence metrics are just as undefined
     */
    public record Copy(String runName, ModelIdentity model, String requestsNotSeparable) {
    }

    /** What a replay did. */
    public record Result(String runId, long tokensSent, boolean cancelled) {
    }

    /**
     * @param runId     the new run's id
     * @param copy      what the new run copies
     * @param tokens    the stored run's tokens in the order they were routed
     * @param cancelled polled before every token
     * @param sent      told the number of tokens sent after each one
     */
    public Result run(String runId, Copy copy, Iterator<TokenRouting> tokens, double speed, RoutingSink sink,
                      BooleanSupplier cancelled, LongConsumer sent) {
        sink.runStarted(lifecycle(runId, copy, RunStatus.STARTED, 0));
        long count = 0;
        long firstOriginal = Long.MIN_VALUE;
        long start = now();
        boolean stopped = false;
        try {
            while (tokens.hasNext()) {
                if (cancelled.getAsBoolean()) {
                    stopped = true;
                    break;
                }
                TokenRouting token = tokens.next();
                if (firstOriginal == Long.MIN_VALUE) {
                    firstOriginal = token.timestampMicros();
                }
                if (speed > 0) {
                    long due = start + (long) ((token.timestampMicros() - firstOriginal) / speed);
                    // In slices, so that a cancel during a long pause takes effect within one.
                    for (long wait = due - now(); wait > 0 && !cancelled.getAsBoolean(); wait = due - now()) {
                        sleeper.sleepMicros(Math.min(wait, MAX_SLEEP_MICROS));
                    }
                    if (cancelled.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                }
                sink.token(new TokenRouting(runId, token.requestId(), token.tokenIndex(), token.tokenId(),
                        token.phase(), now(), token.decisions()));
                sent.accept(++count);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        sink.runFinished(lifecycle(runId, copy, stopped ? RunStatus.FAILED : RunStatus.FINISHED, count));
        return new Result(runId, count, stopped);
    }

    private RunLifecycle lifecycle(String runId, Copy copy, RunStatus status, long tokens) {
        return new RunLifecycle(runId, copy.runName(), status, now(), SOURCE, copy.model(), tokens,
                copy.requestsNotSeparable());
    }

    private long now() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant());
    }
}
