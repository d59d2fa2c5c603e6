package io.moescope.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.platform.metrics.MetricSuiteService;
import io.moescope.platform.metrics.TokenSet;
import java.util.Optional;

/**
 * What the suite tests compare an answer of {@code /api/runs/{id}/metrics} with: its figures (the answer without
 * how it was computed) against the default suite computed from all the run's raw decisions now, both as JSON text.
 */
final class SuiteAnswers {

    private final MetricSuiteService suites;
    private final ObjectMapper json;

    SuiteAnswers(MetricSuiteService suites, ObjectMapper json) {
        this.suites = suites;
        this.json = json;
    }

    /** The answer without its {@code computed} field (stored, extended, when), as JSON text. */
    static String figures(JsonNode answer) {
        ObjectNode copy = answer.deepCopy();
        copy.remove("computed");
        return copy.toString();
    }

    /** The default suite computed from all the run's raw decisions now, in the API's JSON, as text. */
    String fromRawDecisions(String runId) throws Exception {
        return json.readTree(json.writeValueAsString(suites.computed(TokenSet.wholeRun(runId, Optional.empty()),
                SuiteOptions.defaults()).orElseThrow())).toString();
    }
}
