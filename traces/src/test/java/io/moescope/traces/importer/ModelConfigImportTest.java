package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.moescope.traces.engine.EngineFixtures;
import io.moescope.traces.export.ExportFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model-config} takes effect for every format, and options that contradict it are refused by name. */
class ModelConfigImportTest {

    /** The tiny DeepSeek-V3-shaped config: layer 0 dense, layers 1 and 2 MoE, N = 8, k = 2. */
    private static final ImportOptions WITH_CONFIG = ImportOptions.defaults()
            .withHints(ModelHints.NONE.withModelConfig(EngineFixtures.config()));

    @TempDir
    Path dir;

    @Test
    void aHookRowAtALayerTheConfigCallsDenseIsRejectedAsALayerWithoutARouter() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importHook(WITH_CONFIG, sink);
        assertThat(sink.described()).containsExactly("humaneval/0#0 DECODE 1:[2, 3] 2:[4, 5]");
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::line, ImportReport.Rejection::reason)
                .containsExactly(tuple(1L, "layer 0 has no router in the model (MoE layers [1, 2])"));
    }

    @Test
    void aNumberOfExpertsOtherThanTheConfigsIsRefusedNamingBoth() {
        var options = WITH_CONFIG.withHints(new ModelHints(null, null, null, 16, null, null,
                EngineFixtures.config()));
        assertThatThrownBy(() -> importHook(options, new CollectingSink()))
                .hasMessage("--num-experts 16 contradicts the model config's number of experts 8");
    }

    @Test
    void aMoescopeExportIsRefusedWithAModelConfigBecauseItsHeaderRecordsTheModel() throws IOException {
        Path export = Files.writeString(dir.resolve("export.jsonl"), MoescopeExportRoundTripTest.export(
                ExportFormat.JSONL, "original", MoescopeExportRoundTripTest.MODEL, MoescopeExportRoundTripTest.TOKENS));
        assertThatThrownBy(() -> new TraceImport(TraceImporterContract.CLOCK).importFile(export, WITH_CONFIG,
                new CollectingSink(), rows -> { })).hasMessage("export.jsonl is a moescope export, whose header "
                + "records the run's model: --model-config does not apply to it");
    }

    private ImportReport importHook(ImportOptions options, CollectingSink sink) throws IOException {
        Path file = Files.write(dir.resolve("hook.jsonl"), List.of(
                hook(0, "[1,0]"), hook(1, "[2,3]"), hook(2, "[4,5]")));
        return new TraceImport(TraceImporterContract.CLOCK).importFile(file, options, sink, rows -> { });
    }

    private static String hook(int layer, String experts) {
        return "{\"dataset\":\"humaneval\",\"problem_id\":0,\"layer\":" + layer + ",\"token_idx\":0,\"experts\":"
                + experts + ",\"gating_probs\":[0.6,0.4]}";
    }
}
