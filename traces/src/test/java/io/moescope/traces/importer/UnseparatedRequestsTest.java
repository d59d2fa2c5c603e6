package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 2: a route log whose {@code req_id} is constant and whose {@code token_idx} restarts every forward
 * pass cannot tell prompts apart once the engine batches decode steps: the import report and the run say so.
 */
class UnseparatedRequestsTest {

    @TempDir
    Path dir;

    /** What the import of the log below with 3 decode passes of 2 tokens each says. */
    private static final String WHY = "requests in stream '0': 3 of its 3 forward passes after the first hold"
            + " several tokens (up to 2; token_idx restarts every pass), so consecutive tokens belong to different"
            + " prompts; its tokens from forward pass 2 on are stored with phase unknown, and sequence metrics"
            + " (routing consistency, compare's overlap, warm-up per request) do not describe real sequences";

    private final CollectingSink sink = new CollectingSink();

    private ImportReport importLog(List<String> lines) throws IOException {
        Path file = dir.resolve("routes.jsonl");
        Files.write(file, lines);
        return new TraceImport(TraceImporterContract.CLOCK).importFile(file, ImportOptions.defaults(), sink,
                rows -> { });
    }

    /** A 6-token prefill (token_idx 0..5), then {@code decodePasses} passes of {@code batch} tokens each. */
    private static List<String> log(int decodePasses, int batch) {
        int[] passes = new int[decodePasses + 1];
        Arrays.fill(passes, batch);
        passes[0] = 6;
        return passes(passes);
    }

    /** Forward passes of the given numbers of tokens, token_idx restarting at 0 with each. */
    private static List<String> passes(int... tokensPerPass) {
        List<String> lines = new ArrayList<>(List.of(RouteLogImporterTest.META));
        int g = 0;
        for (int tokens : tokensPerPass) {
            for (int t = 0; t < tokens; t++, g++) {
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

        assertThat(report.requestsNotSeparable()).contains(WHY);
        assertThat(report.tokensImported()).isEqualTo(12);
    }

    @Test
    void everyLifecycleEventOfSuchARunCarriesWhyItsRequestsCannotBeToldApart() throws IOException {
        importLog(log(3, 2));

        assertThat(sink.runs).extracting(RunLifecycle::status).containsExactly(RunStatus.STARTED,
                RunStatus.FINISHED);
        assertThat(sink.runs).extracting(RunLifecycle::requestsNotSeparable).containsOnly(WHY);
    }

    @Test
    void oneTokenPerDecodePassIsOneRequestsSequenceAndNothingIsReported() throws IOException {
        ImportReport report = importLog(log(5, 1));

        assertThat(report.requestsNotSeparable()).isEmpty();
        assertThat(report.tokensImported()).isEqualTo(11);
        assertThat(sink.runs).extracting(RunLifecycle::requestsNotSeparable).containsOnlyNulls();
    }

    @Test
    void theFirstPassIsPrefillAndEveryTokenFromTheFirstPassOfSeveralTokensOnHasPhaseUnknown() throws IOException {
        importLog(log(3, 2));

        assertThat(sink.tokens).extracting(TokenRouting::phase).containsExactly(
                Phase.PREFILL, Phase.PREFILL, Phase.PREFILL, Phase.PREFILL, Phase.PREFILL, Phase.PREFILL,
                Phase.UNKNOWN, Phase.UNKNOWN, Phase.UNKNOWN, Phase.UNKNOWN, Phase.UNKNOWN, Phase.UNKNOWN);
    }

    @Test
    void singleTokenPassesBeforeTheFirstBatchedPassAreDecodeStepsAndTheReasonNamesWherePhasesStop()
            throws IOException {
        ImportReport report = importLog(passes(2, 1, 1, 2, 1));

        assertThat(sink.tokens).extracting(TokenRouting::phase).containsExactly(Phase.PREFILL, Phase.PREFILL,
                Phase.DECODE, Phase.DECODE, Phase.UNKNOWN, Phase.UNKNOWN, Phase.UNKNOWN);
        assertThat(report.requestsNotSeparable().orElseThrow())
                .contains("1 of its 4 forward passes after the first hold several tokens (up to 2;")
                .contains("its tokens from forward pass 4 on are stored with phase unknown");
    }

    @Test
    void oneRequestsSequenceIsPrefillThenDecode() throws IOException {
        importLog(log(5, 1));

        assertThat(sink.tokens).extracting(TokenRouting::phase).containsExactly(
                Phase.PREFILL, Phase.PREFILL, Phase.PREFILL, Phase.PREFILL, Phase.PREFILL, Phase.PREFILL,
                Phase.DECODE, Phase.DECODE, Phase.DECODE, Phase.DECODE, Phase.DECODE);
    }
}
