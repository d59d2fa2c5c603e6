package io.moescope.platform.metrics;

import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.analytics.suite.MetricSuite;
import io.moescope.analytics.suite.RequestSeparation;
import io.moescope.analytics.suite.SequencePass;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.platform.alerts.AlertRules;
import io.moescope.storage.runs.RunShapes;
import io.moescope.storage.suites.StoredSuites;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The whole metric suite of a token set. Counts come from the {@code expert_load} rollup when it covers the set
 * exactly (a whole run, or one phase of it), from the raw decisions otherwise; sequence-based metrics (routing
 * consistency, warm-up, co-activation, vocabulary) always stream the raw decisions once, in constant memory. Each
 * layer's verdict is the enabled alert rules' ({@link RoutingJudge}), as on the scorecards. A run stored as one whose
 * requests cannot be told apart gets routing consistency and warm-up as undefined with its reason. Every load figure
 * carries its sample size and a 95 % interval, bootstrapped over requests (blocks of tokens where requests cannot be
 * told apart) from the same raw pass, or over the steps of an aggregate-only run (one whose source counted choices
 * without recording tokens).
 *
 * <p>The default suite of a whole ended run is stored ({@link StoredSuites}) when it is computed, and served from
 * there while it covers the run's data (the same tokens and decisions stored), its verdicts judged by the rules
 * enabled now: the same answer as a fresh computation, without the pass over the raw decisions. Data stored for the
 * run later (a replayed import, a resumed run) makes the stored suite stale, and it is computed again; so does a
 * release that changes the suite ({@link SuiteCodec#FORMAT}). Callers asking for the default suite of the same run
 * over the same data while it is computed (a request, the background check of {@link EndedRunSuites}) wait for that
 * one computation's answer, or its failure, instead of computing it again.
 *
 * <p>The default suite of a live run is extended instead ({@link LiveRunSuites}): its pass is kept from the suites
 * before and fed only the requests after the ones it committed, with the same figures as one pass over all the raw
 * decisions. The runs asked for lately are extended in the background as their data grows
 * ({@link #refreshLiveSuites}), and a request for the data a round covers is answered by the round's suite.
 */
@Service
public class MetricSuiteService {

    private static final Logger log = LoggerFactory.getLogger(MetricSuiteService.class);

    /** {@code moescope.metrics.live-suite-settled}'s default, in seconds. */
    static final long DEFAULT_SETTLED_SECONDS = 10;

    private final RolledUpLoads rollups;
    private final RoutingRows rows;
    private final AlertRules alertRules;
    private final StoredSuites stored;
    private final Clock clock;
    private final Duration liveSuiteLag;
    private final SuiteCodec codec = new SuiteCodec();
    private final SingleFlight<RunVersion, SuiteAnswer> defaultSuites = new SingleFlight<>();
    private final LiveRunSuites liveRuns;
    /**
     * The latest default suite the background composed for each live run: served while the run's data is the same.
     * A request's own is not kept (it serves that request, and those waiting for its computation, alone).
     */
    private final Map<String, SuiteAnswer> liveAnswers = new ConcurrentHashMap<>();
    /** The background's rounds: a request for the same data waits for the round's suite instead of computing it. */
    private final SingleFlight<RunVersion, SuiteAnswer> backgroundSuites = new SingleFlight<>();

    /** The default suite of a whole run over the data it held when asked: one computation at a time for each. */
    private record RunVersion(String runId, StoredSuites.DataVersion data) {
    }

    /**
     * @param liveSuiteLag     how old a live run's latest suite may be (since its computation began) and still answer
     *                         a request though the run got data since ({@code computed.extended.newerTokens} says how
     *                         much); zero: every answer covers what the run held when asked
     * @param liveSuiteSettled how long a live run's request must have got no token for the pass up to it to be kept
     *                         though it is not committed ({@link LiveRunSuites}); zero: only committed requests' is
     */
    @Autowired
    MetricSuiteService(RolledUpLoads rollups, RoutingRows rows, AlertRules alertRules, StoredSuites stored,
                       Clock clock, @Value("${moescope.metrics.live-suite-lag:6s}") Duration liveSuiteLag,
                       @Value("${moescope.metrics.live-suite-settled:" + DEFAULT_SETTLED_SECONDS + "s}")
                       Duration liveSuiteSettled) {
        if (liveSuiteLag.isNegative()) {
            throw new IllegalArgumentException("moescope.metrics.live-suite-lag must not be negative, but was "
                    + liveSuiteLag);
        }
        this.rollups = rollups;
        this.rows = rows;
        this.alertRules = alertRules;
        this.stored = stored;
        this.clock = clock;
        this.liveSuiteLag = liveSuiteLag;
        this.liveRuns = new LiveRunSuites(rows, clock, liveSuiteSettled);
    }

    /** Every answer for a live run covers what the run held when asked; settled requests as by default. */
    MetricSuiteService(RolledUpLoads rollups, RoutingRows rows, AlertRules alertRules, StoredSuites stored,
                       Clock clock) {
        this(rollups, rows, alertRules, stored, clock, Duration.ZERO, Duration.ofSeconds(DEFAULT_SETTLED_SECONDS));
    }

    /**
     * The suite of the set: the stored one where it applies and is current, else computed now (and stored where it
     * applies and the run has ended).
     *
     * @return empty when the run is unknown
     * @throws IllegalArgumentException when an option is out of the run's bounds (before any decision is read)
     */
    public Optional<SuiteAnswer> suite(TokenSet set, SuiteOptions options) {
        return rollups.shape(set.runId()).flatMap(shape -> {
            options.checkAgainst(shape.numExperts(), shape.moeLayers());
            return stored.run(set.runId()).map(run -> answer(set, options, shape, run));
        });
    }

    /**
     * The default suite of the whole run if one is ready; never computes. For an ended run the stored suite if it covers
     * what the run holds now; for a live run the latest background round's if it covers the run's data or began within
     * the lag, and the run counts as asked for, so that the background keeps its suite ready (a page that shows it).
     *
     * @return empty when the run is unknown or no current suite is ready
     */
    public Optional<SuiteAnswer> ready(String runId) {
        return stored.run(runId).flatMap(run -> {
            if (run.ended()) {
                return current(runId, run.data());
            }
            liveRuns.asked(runId, clock.instant());
            return latestLive(runId, run.data(), liveSuiteLag);
        });
    }

    /**
     * The suite computed from the raw decisions, whatever is stored, and not stored: what a stored suite must equal.
     *
     * @return empty when the run is unknown
     */
    public Optional<MetricSuite> computed(TokenSet set, SuiteOptions options) {
        return rollups.shape(set.runId()).map(shape -> {
            options.checkAgainst(shape.numExperts(), shape.moeLayers());
            return compute(set, options, shape);
        });
    }

    private SuiteAnswer answer(TokenSet set, SuiteOptions options, RunShapes.Shape shape, StoredSuites.RunData run) {
        boolean storable = set.wholeRun() && options.sameAsDefaultsFor(shape.firstMoeLayer(), shape.numExperts());
        if (!storable) {
            return computedNow(set, options, shape, run.data());
        }
        if (!run.ended()) {
            var version = new RunVersion(set.runId(), run.data());
            SuiteAnswer answer = latestLive(set.runId(), run.data(), liveSuiteLag)
                    .or(() -> backgroundSuites.ifRunning(version))
                    .orElseGet(() -> defaultSuites.get(version, () -> extendedNow(set, options, shape, run.data())));
            // from now on (not before this answer): a background round never splits this request's extension
            liveRuns.asked(set.runId(), clock.instant());
            return answer;
        }
        forgetLive(set.runId());
        // a request and the background check asking for the same run together share one pass over its decisions
        return defaultSuites.get(new RunVersion(set.runId(), run.data()), () -> current(set.runId(), run.data())
                .orElseGet(() -> computedAndStored(set, options, shape, run)));
    }

    /**
     * Brings the default suite of every live run asked for lately ({@link LiveRunSuites#WATCHED}) up to the data it
     * holds now, where its data changed since its latest suite: its kept pass is extended by the requests stored
     * since and the suite composed, so that a request finds it composed (or, while data streams in, its pass
     * extended up to the requests stored since this ran). Called on one background thread
     * ({@link StoredSuitesConfiguration}); a request for the same data meanwhile waits for this round's suite.
     *
     * @return how many live runs got a new suite
     */
    int refreshLiveSuites() {
        int refreshed = 0;
        for (String runId : liveRuns.watched(clock.instant())) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                if (refreshLive(runId)) {
                    refreshed++;
                }
            } catch (RuntimeException e) {
                // one run's failure (its request will fail alike and say why) must not keep the others stale
                log.warn("could not extend the metric suite of live run {}: {}", runId, e.toString());
            }
        }
        return refreshed;
    }

    private boolean refreshLive(String runId) {
        Optional<RunShapes.Shape> shape = rollups.shape(runId);
        Optional<StoredSuites.RunData> run = stored.run(runId);
        if (shape.isEmpty() || run.isEmpty() || run.get().ended()) {
            forgetLive(runId);
            return false;
        }
        if (latestLive(runId, run.get().data(), Duration.ZERO).isPresent()) {
            return false;
        }
        backgroundSuites.get(new RunVersion(runId, run.get().data()), () -> {
            SuiteAnswer answer = extendedNow(TokenSet.wholeRun(runId, Optional.empty()), SuiteOptions.defaults(),
                    shape.get(), run.get().data());
            // of two rounds ending out of order, the one that began later covers more
            liveAnswers.merge(runId, answer, (kept, now) -> now.computed().at().isBefore(kept.computed().at())
                    ? kept : now);
            return answer;
        });
        return true;
    }

    /**
     * The latest default suite the background composed for a live run, judged by the rules enabled now, if it was
     * computed over {@code data} (what a computation now would give, without one) or its computation began at most
     * {@code lag} ago (it then says how many tokens the run got since).
     */
    private Optional<SuiteAnswer> latestLive(String runId, StoredSuites.DataVersion data, Duration lag) {
        return Optional.ofNullable(liveAnswers.get(runId))
                .filter(latest -> covers(latest, data) || !lag.isZero()
                        && !latest.computed().at().isBefore(clock.instant().minus(lag)))
                .map(latest -> new SuiteAnswer(latest.suite().judgedBy(judge(runId)),
                        latest.computed().behind(data)));
    }

    private static boolean covers(SuiteAnswer answer, StoredSuites.DataVersion data) {
        return answer.computed().runTokens() == data.tokens() && answer.computed().runDecisions() == data.decisions();
    }

    /** The default suite of a live run, its pass extended from the one kept for the suites before. */
    private SuiteAnswer extendedNow(TokenSet set, SuiteOptions options, RunShapes.Shape shape,
                                    StoredSuites.DataVersion data) {
        Instant began = clock.instant();
        int detailLayer = options.detailLayer().orElse(shape.firstMoeLayer());
        var passShape = new LiveRunSuites.PassShape(shape.numExperts(), detailLayer, shape.requestsNotSeparable());
        LiveRunSuites.Extended extended = liveRuns.extended(set.runId(), passShape,
                () -> freshPass(options, shape, false));
        MetricSuite suite = composed(set, options, shape, extended.pass(), true);
        return new SuiteAnswer(suite, SuiteAnswer.Computation.extended(began, data, extended.keptTokens(),
                extended.readTokens()));
    }

    /** The run has ended (its suite is stored from now on), or is gone. */
    private void forgetLive(String runId) {
        liveRuns.forget(runId);
        liveAnswers.remove(runId);
    }

    /** The default suite of a whole run computed now, and stored where the run has ended. */
    private SuiteAnswer computedAndStored(TokenSet set, SuiteOptions options, RunShapes.Shape shape,
                                          StoredSuites.RunData run) {
        SuiteAnswer answer = computedNow(set, options, shape, run.data());
        if (run.ended()) {
            stored.save(set.runId(), new StoredSuites.Stored(run.data(), answer.computed().at(), SuiteCodec.FORMAT,
                    codec.encode(answer.suite())));
        }
        return answer;
    }

    /** {@code data} was read before any decision: rows stored meanwhile make what is saved stale, never wrong. */
    private SuiteAnswer computedNow(TokenSet set, SuiteOptions options, RunShapes.Shape shape,
                                    StoredSuites.DataVersion data) {
        Instant began = clock.instant();
        MetricSuite suite = compute(set, options, shape);
        return new SuiteAnswer(suite, SuiteAnswer.Computation.of(false, began, data));
    }

    private Optional<SuiteAnswer> current(String runId, StoredSuites.DataVersion data) {
        return stored.find(runId)
                .filter(kept -> kept.covers().equals(data) && kept.format() == SuiteCodec.FORMAT)
                .flatMap(kept -> decode(runId, kept.suite()).map(suite -> new SuiteAnswer(suite.judgedBy(judge(runId)),
                        SuiteAnswer.Computation.of(true, kept.computedAt(), kept.covers()))));
    }

    /** A stored suite this release cannot read is stale: said in the log, computed again and replaced. */
    private Optional<MetricSuite> decode(String runId, byte[] suite) {
        try {
            return Optional.of(codec.decode(runId, suite));
        } catch (IllegalStateException e) {
            log.warn("{}; computing it again", e.getMessage());
            return Optional.empty();
        }
    }

    private MetricSuite compute(TokenSet set, SuiteOptions options, RunShapes.Shape shape) {
        boolean fromRollups = set.coveredByRollups();
        SequencePass pass = freshPass(options, shape, !fromRollups);
        // an aggregate-only run has steps of counts instead of tokens: the units its intervals resample
        rows.forEach(set, pass, pass::acceptStep);
        return composed(set, options, shape, pass, fromRollups);
    }

    private static SequencePass freshPass(SuiteOptions options, RunShapes.Shape shape, boolean countLoads) {
        int n = shape.numExperts();
        return new SequencePass(n, options.detailLayer().orElse(shape.firstMoeLayer()), options.warmupSettings(n),
                countLoads, RequestSeparation.of(shape.requestsNotSeparable()));
    }

    /** The suite of a pass over the set's tokens and steps, finished here. */
    private MetricSuite composed(TokenSet set, SuiteOptions options, RunShapes.Shape shape, SequencePass pass,
                                 boolean fromRollups) {
        int n = shape.numExperts();
        pass.finish();
        List<ExpertLoad> loads = fromRollups ? rollups.of(set.runId(), set.phase(), n) : pass.loads();
        return MetricSuite.of(set.runId(), set.describe(), n, shape.topK(), loads,
                fromRollups ? "expert_load rollup" : "raw decisions (token_routing)", pass, options.tau(),
                judge(set.runId()));
    }

    private RoutingJudge judge(String runId) {
        return new RoutingJudge(alertRules.rules(), runId);
    }
}
