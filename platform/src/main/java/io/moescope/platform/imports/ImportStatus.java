package io.moescope.platform.imports;

import java.util.List;

/**
 * An upload's import as the Import view shows it.
 *
 * @param state         SCANNING (pass 1: the model's shape), SENDING (pass 2: tokens to Kafka), FINISHED or FAILED
 * @param rows          data lines done in the current pass
 * @param rowsPerSecond rows per second in the current pass (the rate of the whole import once ended)
 * @param summary       the import summary once FINISHED, that is once Kafka acknowledged every record (rows read /
 *                      imported / rejected with the first reasons and line numbers, gaps, warm-up artefacts); when
 *                      FAILED because Kafka did not acknowledge everything, the tokens delivered and not and what
 *                      became of the run; else empty
 * @param error         why it FAILED (a file of the wrong format, Kafka unreachable or not acknowledging), else null
 */
public record ImportStatus(String importId, String fileName, String state, long rows, double rowsPerSecond,
                           List<String> summary, String error) {

    public ImportStatus {
        summary = List.copyOf(summary);
    }

    public boolean ended() {
        return state.equals("FINISHED") || state.equals("FAILED");
    }
}
