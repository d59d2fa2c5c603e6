package io.moescope.platform.metrics;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.analytics.suite.MetricSuite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How a stored suite is kept: the JSON of the record, gzip-compressed. JSON is exact for every figure (Jackson writes
 * a double as the shortest text that reads back as the same double) and the suite is already a JSON answer; gzip
 * takes it to a fraction of its size (docs/benchmarks.md, "Stored metric suites"). A mapper of its own, not the web
 * one, so a change of the API's JSON settings cannot change what stored suites read back as; a member the records
 * do not know, or one they have and the JSON lacks, fails the read instead of being dropped or read as null.
 */
final class SuiteCodec {

    /**
     * Raise it with any change to what a suite holds (its records) or to how a figure of it is computed: stored
     * suites of another format are computed again, as stale ones are. A change of the records alone also fails the
     * read (a member unknown or missing), which then computes the suite again too. 2: the pass reads the tokens in
     * the requests' arrival order, not by request id (its resampling units and floating sums follow the order).
     */
    static final int FORMAT = 2;

    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    byte[] encode(MetricSuite suite) {
        var bytes = new ByteArrayOutputStream();
        try (var zip = new GZIPOutputStream(bytes)) {
            json.writeValue(zip, suite);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode the suite of run " + suite.runId(), e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalStateException naming the run when the bytes are no suite this codec wrote */
    MetricSuite decode(String runId, byte[] stored) {
        try (InputStream zip = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            return json.readValue(zip, MetricSuite.class);
        } catch (IOException e) {
            throw new IllegalStateException("the stored metric suite of run " + runId + " (run_metric_suite, "
                    + stored.length + " bytes) cannot be read: " + e, e);
        }
    }
}
