package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, item 2: vLLM's OLMoE route log has one {@code req_id} and a {@code token_idx} that counts on across the
 * whole file. Read as forward passes it is one pass, which is also what one prompt's prefill looks like; the log
 * cannot tell which, so its tokens are stored with phase unknown and the run says why.
 */
class NeverRestartingPositionsTest {

    private static final String META = "{\"type\":\"meta\",\"model_id\":\"allenai/OLMoE-1B-7B-0924\","
            + "\"layers_logged\":[0,1,2],\"top_k\":8,\"num_experts\":64}";

    private static final int LAYERS = 3;

    /** What the import of {@link #olmoeLog} (7 positions) says. */
    private static final String WHY = "requests in stream '0': token_idx never restarts over its 7 positions, so"
            + " the log is either one prompt's prefill or counts positions across forward passes; which tokens are"
            + " prefill and which decode, and which belong to the same prompt, cannot be told: its tokens are stored"
            + " with phase unknown, and sequence metrics (routing consistency, compare's overlap, warm-up per"
            + " request) do not describe real sequences";

    @TempDir
    Path dir;

    private final CollectingSink sink = new CollectingSink();

    private ImportReport importLog(List<String> lines) throws IOException {
        Path file = Files.write(dir.resolve("olmoe-routes.jsonl"), lines);
        return new TraceImport(TraceImporterContract.CLOCK).importFile(file, ImportOptions.defaults(), sink,
                rows -> { });
    }

    /**
     * A 4-token prefill and 3 one-token decode steps of request {@code 0}, each pass written layer by layer, with
     * token_idx counting on across passes as vLLM's OLMoE log does: 0..6, never restarting.
     */
    private static List<String> olmoeLog() {
        List<String> lines = new ArrayList<>(List.of(META));
        int first = 0;
        for (int tokens : new int[] {4, 1, 1, 1}) {
            lines.addAll(pass("0", first, tokens));
            first += tokens;
        }
        return lines;
    }

    /** One forward pass of {@code tokens} positions from {@code first} on, every layer's rows in turn. */
    private static List<String> pass(String request, int first, int tokens) {
        List<String> rows = new ArrayList<>();
        for (int layer = 0; layer < LAYERS; layer++) {
            for (int t = first; t < first + tokens; t++) {
                rows.add(route(request, t, layer));
            }
        }
        return rows;
    }

    /** Experts 8t + layer .. 8t + layer + 7 (mod 64): eight distinct ids, different for every token. */
    private static String route(String request, int tokenIdx, int layer) {
        var ids = new StringBuilder();
        for (int slot = 0; slot < 8; slot++) {
            ids.append(slot == 0 ? "" : ",").append((8 * tokenIdx + layer + slot) % 64);
        }
        return "{\"type\":\"route\",\"req_id\":\"" + request + "\",\"token_idx\":" + tokenIdx + ",\"layer\":" + layer
                + ",\"topk_ids\":[" + ids + "],\"topk_weights\":[0.3,0.2,0.15,0.1,0.1,0.05,0.05,0.05]}";
    }

    @Test
    void everyTokenOfAnOlmoeLogWhoseTokenIdxNeverRestartsIsStoredWithPhaseUnknown() throws IOException {
        ImportReport report = importLog(olmoeLog());

        assertThat(report.tokensImported()).isEqualTo(7);
        assertThat(sink.tokens).extracting(TokenRouting::phase)
                .containsExactlyElementsOf(Collections.nCopies(7, Phase.UNKNOWN));
    }

    @Test
    void theImportReportSaysThatTheRequestsAndPhasesOfSuchALogCannotBeToldApart() throws IOException {
        ImportReport report = importLog(olmoeLog());

        assertThat(report.requestsNotSeparable()).contains(WHY);
    }

    @Test
    void everyLifecycleEventOfSuchARunCarriesTheReason() throws IOException {
        importLog(olmoeLog());

        assertThat(sink.runs).hasSize(2).extracting(RunLifecycle::requestsNotSeparable).containsOnly(WHY);
    }

    @Test
    void suchALogStillImportsEveryTokenInOrderWithItsModel() throws IOException {
        importLog(olmoeLog());

        assertThat(sink.runs.get(0).model().architecture()).isEqualTo("OlmoeForCausalLM");
        assertThat(sink.tokens).extracting(TokenRouting::tokenIndex).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(sink.tokens).allSatisfy(t -> assertThat(t.decisions()).hasSize(LAYERS));
    }

    @Test
    void aLogOfOneStreamWhoseTokenIdxRestartsEveryPassIsStillPrefillThenDecode() throws IOException {
        List<String> lines = new ArrayList<>(List.of(META));
        lines.addAll(pass("0", 0, 4));
        for (int step = 0; step < 3; step++) {
            lines.addAll(pass("0", 0, 1));
        }

        ImportReport report = importLog(lines);

        assertThat(sink.tokens).extracting(TokenRouting::phase).containsExactly(Phase.PREFILL, Phase.PREFILL,
                Phase.PREFILL, Phase.PREFILL, Phase.DECODE, Phase.DECODE, Phase.DECODE);
        assertThat(report.requestsNotSeparable()).isEmpty();
    }

    @Test
    void aRequestOfOnePassAmongSeveralRequestsIsAPrefillOnlyRequestAndKeepsItsPhase() throws IOException {
        List<String> lines = new ArrayList<>(List.of(META));
        lines.addAll(pass("r1", 0, 3));
        lines.addAll(pass("r2", 0, 2));
        lines.addAll(pass("r2", 0, 1));

        ImportReport report = importLog(lines);

        assertThat(sink.tokens).extracting(t -> t.requestId() + "#" + t.tokenIndex() + " " + t.phase())
                .containsExactly("r1#0 PREFILL", "r1#1 PREFILL", "r1#2 PREFILL", "r2#0 PREFILL", "r2#1 PREFILL",
                        "r2#2 DECODE");
        assertThat(report.requestsNotSeparable()).isEmpty();
    }

    @Test
    void aLogOfOnePositionIsThatTokensPrefillAndSaysNothing() throws IOException {
        List<String> lines = new ArrayList<>(List.of(META));
        lines.addAll(pass("0", 0, 1));

        ImportReport report = importLog(lines);

        assertThat(sink.tokens).extracting(TokenRouting::phase).containsExactly(Phase.PREFILL);
        assertThat(report.requestsNotSeparable()).isEmpty();
    }
}
