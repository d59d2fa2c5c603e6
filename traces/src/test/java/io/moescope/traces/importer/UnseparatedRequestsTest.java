package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 2: a route log whose {@code req_id} is constant and whose {@code token_idx} restarts every forward
 * pass cannot tell prompts apart once the engine batches decode steps, and the import summary says so.
 */
class UnseparatedRequestsTest {

    @TempDir
    Path dir;

    private ImportReport importLog(List<String> lines) throws IOException {
        Path file = dir.resolve("routes.jsonl");
        Files.write(file, lines);
        return new TraceImport(TraceImporterContract.CLOCK).importFile(file, ImportOptions.defaults(),
                new CollectingSink(), rows -> { });
    }

    /** A 6-token prefill (token_idx 0..5), then {@code decodePasses} passes of {@code batch} tokens each. */
    private static List<String> log(int decodePasses, int batch) {
        List<String> lines = new ArrayList<>(List.of(RouteLogImporterTest.META));
        int g = 0;
        for (int t = 0; t < 6; t++, g++) {
            lines.add(row(t, g));
        }
        for (int pass = 0; pass < decodePasses; pass++) {
            for (int t = 0; t < batch; t++, g++) {
                lines.add(row(t, g));
            }
        }
        return lines;
    }

    private static String row(int tokenIdx, int g) {
        int e = 4 * g % 60;
        return "{\"type\":\"route\",\"req_id\":\"0\",\"token_idx\":" + tokenIdx + ",\"layer\":0,\"topk_ids\":[" + e
                + "," + (e + 1) + "," + (e + 2) + "," + (e + 3) + "],\"topk_weights\":[0.4,0.3,0.2,0.1]}";
    }

    @Test
    void decodePassesOfSeveralTokensUnderOneRequestIdAreReportedAsPromptsThatCannotBeToldApart()
            throws IOException {
        ImportReport report = importLog(log(3, 2));

        assertThat(report.cannotTell()).containsExactly("requests in stream '0': 3 of its 3 forward passes after"
                + " the first hold several tokens (up to 2; token_idx restarts every pass), so consecutive tokens"
                + " belong to different prompts; token order and phase (first pass = prefill) are guesses, and"
                + " sequence metrics (routing consistency, compare's overlap, warm-up per request) do not describe"
                + " real sequences");
        assertThat(report.tokensImported()).isEqualTo(12);
    }

    @Test
    void oneTokenPerDecodePassIsOneRequestsSequenceAndNothingIsReported() throws IOException {
        ImportReport report = importLog(log(5, 1));

        assertThat(report.cannotTell()).isEmpty();
        assertThat(report.tokensImported()).isEqualTo(11);
    }
}
