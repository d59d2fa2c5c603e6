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
 */
final class LiveRunSuites {

    /** A request with a token routed this recently may still be streaming: it is passed over, not committed. */
    static final Duration OPEN_REQUEST_QUIET = Duration.ofMinutes(1);

    /** A run whose suite was asked for this recently is extended in the background as its data grows. */
    static final Duration WATCHED = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(LiveRunSuites.class);

    private final RoutingRows rows;
    private final Clock clock;
    private final Map<String, Kept> runs = new ConcurrentHashMap<>();

    /**
     * What a kept pass was made for: a state made for other settings (another N, detail layer, the run's requests
     * found not separable) is not extended.
     */
    record PassShape(int numExperts, int detailLayer, String requestsNotSeparable) {
    }

    /**
     * @param pass       the pass over the whole run, not finished, the caller's own
     * @param keptTokens tokens of the requests committed before, not read again
     * @param readTokens tokens read now: the requests after the committed ones (the whole run when passed over)
     */
    record Extended(SequencePass pass, long keptTokens, long readTokens) {
    }

    private static final class Kept {
        private PassShape shape;
        private SuiteState state;
        private volatile Instant askedAt = Instant.MIN;
    }

    LiveRunSuites(RoutingRows rows, Clock clock) {
        this.rows = rows;
        this.clock = clock;
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
                kept.state = new SuiteState(fresh.get());
            }
            try {
                extended = extend(runId, kept.state);
                if (extended == null) {
                    log.info("the kept suite state of live run {} no longer covers it (a late token of a committed"
                            + " request, or a request stored after them with an earlier key): passing over the whole"
                            + " run", runId);
                    kept.state = new SuiteState(fresh.get());
                    extended = extend(runId, kept.state);
                }
            } catch (RuntimeException e) {
                // a read or a token that failed halfway through a request leaves no prefix the state could stand for
                kept.state = null;
                throw e;
            }
        }
        rows.forEachStep(runId, extended.pass()::acceptStep);
        return extended;
    }

    /** @return null when the state no longer covers a prefix of the run */
    private Extended extend(String runId, SuiteState state) {
        long kept = state.committedTokens();
        boolean fresh = state.lastCommittedRequest().isEmpty();
        long quietSince = ChronoUnit.MICROS.between(Instant.EPOCH, clock.instant().minus(OPEN_REQUEST_QUIET));
        SuiteState.Extension extension = state.extend(request -> closed(request, quietSince));
        long runTokens = rows.forEachAfter(runId, state.lastCommittedRequest(), extension);
        if (!fresh && kept + extension.tailTokens() != runTokens) {
            return null;
        }
        return new Extended(extension.pass(), kept, extension.tailTokens());
    }

    private static boolean closed(List<TokenRouting> request, long quietSinceMicros) {
        return request.stream().allMatch(token -> token.timestampMicros() < quietSinceMicros);
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
