package io.moescope.platform.metrics;

import io.moescope.analytics.suite.SequencePass;
import io.moescope.analytics.suite.SuiteState;
import io.moescope.events.TokenRouting;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pass of the default suite of each live run, extended from a kept {@link SuiteState} by the requests after
 * its committed ones, so that a suite costs the requests still streaming and those added since, not the run. Kept
 * in memory (a restart passes over each live run once again), per run, until the run ends.
 *
 * <p>Exact, not approximate: the suite is the batch pass's over the same tokens. Its premise, that a committed
 * request gets no more tokens and no new request is ordered before one, is checked on every extension: redelivered
 * tokens never reach {@code token_routing} twice, and {@code run_volume} counts the tokens stored, in the
 * transaction that stores them; when the kept tokens and the tail read do not add up to the tokens the run holds in
 * the snapshot the tail was read from (a late token of a committed request, a request whose key was drawn before
 * theirs but stored after them, a retention drop), the state is dropped and the run passed over whole, as a batch.
 * The order is the requests' arrival ({@link io.moescope.storage.routing.RoutingReader}), so new requests follow the
 * committed ones whatever their ids.
 *
 * <p>While many requests stream side by side, the oldest one still streaming or quiet for less than
 * {@link #OPEN_REQUEST_QUIET} holds every request after it out of the committed ones. So a run also keeps, where the
 * requests after its committed ones begin with requests quiet for {@code settledQuiet}, the pass at the end of those
 * ({@link SuiteState.Extension#settled}), and extends that one first: the tokens read are then those of the requests
 * after the first one that got a token within {@code settledQuiet}. It is checked as the committed state is; when a
 * settled request got a token after all, the extension starts again from the committed state (one read of the tail
 * more). The committed state itself moves up to a copy of the settled one made at least {@link #OPEN_REQUEST_QUIET}
 * before, once every extension since has checked that copy's requests: their tokens are then as quiet as committed
 * ones' and none came since. So the extension from the committed state, the fallback, reads at most a minute or two
 * of traffic more than the other.
 */
final class LiveRunSuites {

    /** A request with a token routed this recently may still be streaming: it is passed over, not committed. */
    static final Duration OPEN_REQUEST_QUIET = Duration.ofMinutes(1);

    /** A run whose suite was asked for this recently is extended in the background as its data grows. */
    static final Duration WATCHED = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(LiveRunSuites.class);

    private final RoutingRows rows;
    private final Clock clock;
    private final Duration settledQuiet;
    private final Map<String, Kept> runs = new ConcurrentHashMap<>();

    /**
     * What a kept pass was made for: a state made for other settings (another N, detail layer, the run's requests
     * found not separable) is not extended.
     */
    record PassShape(int numExperts, int detailLayer, String requestsNotSeparable) {
    }

    /**
     * @param pass       the pass over the whole run, not finished, the caller's own
     * @param keptTokens tokens of the requests kept before (committed, or settled), not read again
     * @param readTokens tokens read now: the requests after the kept ones (the whole run when passed over)
     */
    record Extended(SequencePass pass, long keptTokens, long readTokens) {
    }

    private static final class Kept {
        private PassShape shape;
        /** the committed requests' pass */
        private SuiteState state;
        /** the pass up to the settled requests after the committed ones; null when none */
        private SuiteState settled;
        /** a copy of {@link #settled} as it was at {@link #candidateAt}, checked since: the next committed state */
        private SuiteState candidate;
        private Instant candidateAt;
        private volatile Instant askedAt = Instant.MIN;

        void reset(SuiteState fresh) {
            state = fresh;
            settled = null;
            candidate = null;
        }
    }

    /**
     * @param settledQuiet how long a request not yet committed must have got no token for the pass up to it to be
     *                     kept as well ({@link SuiteState.Extension#settled}); zero: none is kept
     */
    LiveRunSuites(RoutingRows rows, Clock clock, Duration settledQuiet) {
        if (settledQuiet.isNegative() || settledQuiet.compareTo(OPEN_REQUEST_QUIET) >= 0) {
            throw new IllegalArgumentException("moescope.metrics.live-suite-settled must be at least 0s and under "
                    + OPEN_REQUEST_QUIET.toSeconds() + "s, but was " + settledQuiet);
        }
        this.rows = rows;
        this.clock = clock;
        this.settledQuiet = settledQuiet;
    }

    /**
     * The pass over the run's tokens now (and its steps, if any), from the kept state extended by the tail. One
     * extension at a time per run.
     *
     * @param fresh a pass for {@code shape} that has seen no token
     */
    Extended extended(String runId, PassShape shape, Supplier<SequencePass> fresh) {
        Kept kept = runs.computeIfAbsent(runId, id -> new Kept());
        Extended extended;
        synchronized (kept) {
            if (kept.state == null || !kept.shape.equals(shape)) {
                kept.shape = shape;
                kept.reset(new SuiteState(fresh.get()));
            }
            try {
                Instant now = clock.instant();
                extended = kept.settled == null ? null : extendSettled(runId, kept, now);
                if (extended == null) {
                    extended = extendCommitted(runId, kept, now, fresh);
                }
            } catch (RuntimeException e) {
                // a read or a token that failed halfway through a request leaves no prefix the state could stand for
                kept.reset(null);
                throw e;
            }
        }
        rows.forEachStep(runId, extended.pass()::acceptStep);
        return extended;
    }

    /**
     * Extends the pass up to the settled requests, and moves the committed state up to the candidate once that is old
     * enough.
     *
     * @return null when the settled state no longer covers a prefix of the run (a settled request got a token)
     */
    private Extended extendSettled(String runId, Kept kept, Instant now) {
        SuiteState.Extension extension = kept.settled.extend(settledBefore(now));
        Extended extended = extend(runId, kept.settled, extension);
        if (extended == null) {
            log.debug("a settled request of live run {} got a token: extending from its committed requests", runId);
            kept.settled = null;
            kept.candidate = null;
            return null;
        }
        if (kept.candidate != null && !kept.candidateAt.isAfter(now.minus(OPEN_REQUEST_QUIET))) {
            kept.state = kept.candidate;
            kept.candidate = null;
        }
        keepCandidate(kept, now);
        return extended;
    }

    private Extended extendCommitted(String runId, Kept kept, Instant now, Supplier<SequencePass> fresh) {
        SuiteState.Extension extension = kept.state.extend(closedBefore(now), settledBefore(now));
        Extended extended = extend(runId, kept.state, extension);
        if (extended == null) {
            log.info("the kept suite state of live run {} no longer covers it (a late token of a committed request,"
                    + " or a request stored after them with an earlier key): passing over the whole run", runId);
            kept.reset(new SuiteState(fresh.get()));
            extension = kept.state.extend(closedBefore(now), settledBefore(now));
            extended = extend(runId, kept.state, extension);
        }
        kept.settled = extension.settled().orElse(null);
        kept.candidate = null;
        keepCandidate(kept, now);
        return extended;
    }

    private static void keepCandidate(Kept kept, Instant now) {
        if (kept.candidate == null && kept.settled != null) {
            kept.candidate = kept.settled.copy();
            kept.candidateAt = now;
        }
    }

    /** @return null when the state no longer covers a prefix of the run */
    private Extended extend(String runId, SuiteState state, SuiteState.Extension extension) {
        long kept = state.committedTokens();
        boolean fresh = state.lastCommittedRequest().isEmpty();
        long runTokens = rows.forEachAfter(runId, state.lastCommittedRequest(), extension);
        if (!fresh && kept + extension.tailTokens() != runTokens) {
            return null;
        }
        return new Extended(extension.pass(), kept, extension.tailTokens());
    }

    /** Closed: every token routed more than {@link #OPEN_REQUEST_QUIET} before {@code now}. */
    private static Predicate<List<TokenRouting>> closedBefore(Instant now) {
        return quietSince(now.minus(OPEN_REQUEST_QUIET));
    }

    /** Settled: every token routed more than {@code settledQuiet} before {@code now}; none when that is zero. */
    private Predicate<List<TokenRouting>> settledBefore(Instant now) {
        return settledQuiet.isZero() ? request -> false : quietSince(now.minus(settledQuiet));
    }

    private static Predicate<List<TokenRouting>> quietSince(Instant since) {
        long sinceMicros = ChronoUnit.MICROS.between(Instant.EPOCH, since);
        return request -> request.stream().allMatch(token -> token.timestampMicros() < sinceMicros);
    }

    /** A request asked for the run's suite: the background extends its pass for {@link #WATCHED} from now. */
    void asked(String runId, Instant at) {
        runs.computeIfAbsent(runId, id -> new Kept()).askedAt = at;
    }

    /** The runs whose suite was asked for within {@link #WATCHED} before {@code now}. */
    List<String> watched(Instant now) {
        Instant since = now.minus(WATCHED);
        return runs.entrySet().stream().filter(run -> run.getValue().askedAt.isAfter(since)).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /** Drops the run's kept state: it has ended (its suite is stored), or is gone. */
    void forget(String runId) {
        runs.remove(runId);
    }
}
