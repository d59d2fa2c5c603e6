package io.moescope.platform.metrics;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.moescope.analytics.suite.MetricSuite;
import io.moescope.storage.suites.StoredSuites;
import java.time.Instant;

/**
 * A metric suite with how it was obtained. In JSON the suite's fields stay at the top level (the endpoint's shape)
 * and {@code computed} is added beside them.
 *
 * @param suite    the figures
 * @param computed where they come from and what data they cover
 */
public record SuiteAnswer(@JsonUnwrapped MetricSuite suite, Computation computed) {

    /**
     * @param stored       true when served from the stored suite of the run, false when computed for this request
     * @param at           when the computation began: the figures cover what the run held then
     * @param runTokens    tokens the run held then (the whole run's, also where the set is narrower)
     * @param runDecisions decisions the run held then
     * @param extended     for the default suite of a live run: how its pass was extended; null when the suite was
     *                     stored, or computed in one pass over the raw decisions
     */
    public record Computation(boolean stored, Instant at, long runTokens, long runDecisions, Extension extended) {

        static Computation of(boolean stored, Instant at, StoredSuites.DataVersion data) {
            return new Computation(stored, at, data.tokens(), data.decisions(), null);
        }

        static Computation extended(Instant at, StoredSuites.DataVersion data, long keptTokens, long readTokens) {
            return new Computation(false, at, data.tokens(), data.decisions(),
                    new Extension(keptTokens, readTokens, 0));
        }

        /** This computation served when the run holds {@code now}: with the tokens it got since, if extended. */
        Computation behind(StoredSuites.DataVersion now) {
            return extended == null ? this : new Computation(stored, at, runTokens, runDecisions, new Extension(
                    extended.keptTokens(), extended.readTokens(), Math.max(0, now.tokens() - runTokens)));
        }
    }

    /**
     * The pass of a live run's default suite, kept from the suites before and extended incrementally: the same
     * figures as one pass over all its raw decisions.
     *
     * @param keptTokens tokens of the requests the kept pass had already covered, not read again
     * @param readTokens tokens read for this suite: the requests after those (every token of the run when the kept
     *                   pass no longer covered it, or there was none)
     * @param newerTokens tokens the run got after the figures' data was read, not in them: 0 unless the latest suite
     *                   answered within {@code moescope.metrics.live-suite-lag} though the run got data since
     */
    public record Extension(long keptTokens, long readTokens, long newerTokens) {
    }
}
