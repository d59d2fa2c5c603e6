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
     */
    public record Computation(boolean stored, Instant at, long runTokens, long runDecisions) {

        static Computation of(boolean stored, Instant at, StoredSuites.DataVersion data) {
            return new Computation(stored, at, data.tokens(), data.decisions());
        }
    }
}
