package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.RunLifecycle;
import io.moescope.traces.model.ReleasedConfigs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorRT-LLM expert statistics as {@code ExpertStatistic._write} leaves them: {@code meta_info.json} and one
 * {@code rank{r}.safetensors} per rank, byte for byte ({@link TensorRtStatisticFiles}). The model: 4 experts, top-2,
 * MoE layers 1 and 3; two ranks, iterations 100 and 101.
 */
class TensorRtExpertStatisticImporterTest {

    @TempDir
    Path dir;

    @Test
    void eachIterationIsOneStepOfTheCountsSummedOverTheRanks() throws IOException {
        TensorRtStatisticFiles.writeTwoRanks(dir);
        var sink = new CollectingSink();
        ImportReport report = importDirectory(sink);
        assertThat(sink.described()).containsExactly(
                "step#100 UNKNOWN 3 token(s) 1:[3, 1, 1, 1] 3:[0, 1, 3, 2]",
                "step#101 UNKNOWN 1 token(s) 1:[0, 1, 0, 1] 3:[1, 1, 0, 0]");
        assertThat(sink.tokens).isEmpty();
        assertThat(report.stepsImported()).isEqualTo(2);
        assertThat(report.tokensImported()).isEqualTo(4);
        assertThat(report.decisionsImported()).isEqualTo(8);
        assertThat(report.rowsRejected()).isZero();
    }

    @Test
    void theModelIsTheMetaInfosExpertsAndTopKAtTheLayersTheKeysName() throws IOException {
        TensorRtStatisticFiles.writeTwoRanks(dir);
        ImportReport report = importDirectory(new CollectingSink());
        assertThat(report.model().numExperts()).isEqualTo(4);
        assertThat(report.model().topK()).isEqualTo(2);
        assertThat(report.model().moeLayers()).containsExactly(1, 3);
        assertThat(report.format()).isEqualTo(TraceFormat.TENSORRT_LLM_EXPERT_STATISTIC);
    }

    @Test
    void theRunIsNamedForTheStatisticsDirectory() throws IOException {
        TensorRtStatisticFiles.writeTwoRanks(dir);
        assertThat(importDirectory(new CollectingSink()).runName()).isEqualTo(dir.getFileName().toString());
    }

    /** meta_info.json records no model name: the model is named for the directory, as the run is. */
    @Test
    void withoutAModelIdTheModelIsNamedForTheStatisticsDirectory() throws IOException {
        TensorRtStatisticFiles.writeTwoRanks(dir);
        assertThat(importDirectory(new CollectingSink()).model().name()).isEqualTo(dir.getFileName().toString());
    }

    @Test
    void theModelIdNamesTheModel() throws IOException {
        TensorRtStatisticFiles.writeTwoRanks(dir);
        ImportReport report = new TraceImport(TraceImporterContract.CLOCK).importFile(dir, ImportOptions.defaults()
                .withHints(new ModelHints(null, null, "my-moe", null, null, null)), new CollectingSink(), rows -> { });
        assertThat(report.model().name()).isEqualTo("my-moe");
    }

    @Test
    void theDirectoryOrItsMetaInfoIsDetectedAsTheFormat() throws IOException {
        TensorRtStatisticFiles.writeTwoRanks(dir);
        var detector = new FormatDetector(FormatDetector.all());
        assertThat(detector.detect(TraceSource.of(dir, ImportOptions.DEFAULT_MAX_LINE_CHARS)))
                .map(TraceImporter::format).contains(TraceFormat.TENSORRT_LLM_EXPERT_STATISTIC);
        assertThat(detector.detect(dir.resolve("meta_info.json"))).map(TraceImporter::format)
                .contains(TraceFormat.TENSORRT_LLM_EXPERT_STATISTIC);
    }

    @Test
    void theRunSaysWhyItsRequestsCannotBeToldApartAndHowTheRanksWereCombined() throws IOException {
        TensorRtStatisticFiles.writeTwoRanks(dir);
        var sink = new CollectingSink();
        ImportReport report = importDirectory(sink);
        assertThat(sink.runs).extracting(RunLifecycle::requestsNotSeparable)
                .containsOnly(TensorRtExpertStatisticImporter.NOT_SEPARABLE);
        assertThat(sink.runs.get(1).tokens()).isEqualTo(4);
        assertThat(report.notes()).contains("counts of 4 (iteration, layer) pairs summed over 2 rank file(s), as"
                + " TensorRT-LLM's own loader does");
    }

    @Test
    void anIterationWhoseLayersCountDifferentTokensIsRejectedAndTheOthersKept() throws IOException {
        TensorRtStatisticFiles.writeMeta(dir, 4, 2);
        var rank0 = new LinkedHashMap<String, long[]>();
        rank0.put("7_1", new long[] {1, 1, 0, 0});
        rank0.put("7_3", new long[] {1, 1, 1, 1});
        rank0.put("8_1", new long[] {1, 0, 0, 1});
        TensorRtStatisticFiles.writeRank(dir.resolve("rank0.safetensors"), rank0);
        var sink = new CollectingSink();
        ImportReport report = importDirectory(sink);
        assertThat(sink.described()).containsExactly("step#8 UNKNOWN 1 token(s) 1:[1, 0, 0, 1]");
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::reason).containsExactly(
                "step 7 layer 3: the counts sum to 4, not 1 tokens x top-2");
    }

    /** DeepSeek-V3 as released: 61 decoder layers (the first 3 dense), then the multi-token-prediction layer 61. */
    @Test
    void withTheModelConfigCountsOfTheMultiTokenPredictionLayerAreLeftOutWithANote() throws IOException {
        TensorRtStatisticFiles.writeMeta(dir, 256, 8);
        var rank0 = new LinkedHashMap<String, long[]>();
        rank0.put("5_3", ones(256, 0, 8));
        rank0.put("5_61", ones(256, 100, 16)); // two draft tokens
        TensorRtStatisticFiles.writeRank(dir.resolve("rank0.safetensors"), rank0);
        var sink = new CollectingSink();
        ImportReport report = new TraceImport(TraceImporterContract.CLOCK).importFile(dir, ImportOptions.defaults()
                .withHints(ModelHints.NONE.withModelConfig(ReleasedConfigs.read(ReleasedConfigs.DEEPSEEK_V3,
                        "DeepSeek-V3"))), sink, rows -> { });
        assertThat(sink.countSteps).singleElement().satisfies(step -> {
            assertThat(step.tokens()).isEqualTo(1);
            assertThat(step.layers()).extracting(l -> l.layer()).containsExactly(3);
        });
        assertThat(report.rowsRejected()).isZero();
        assertThat(report.notes()).contains("counts at layers [61] left out: they are past the model's 61 decoder"
                + " layers (multi-token prediction)");
    }

    /** {@code n} counts of one each from expert {@code first} on, the rest zero. */
    private static long[] ones(int experts, int first, int n) {
        long[] counts = new long[experts];
        Arrays.fill(counts, first, first + n, 1);
        return counts;
    }

    @Test
    void aKeyWhoseLayerNoRowCouldHoldIsRejectedAndTheOthersKept() throws IOException {
        TensorRtStatisticFiles.writeMeta(dir, 4, 2);
        var rank0 = new LinkedHashMap<String, long[]>();
        rank0.put("1_3", new long[] {1, 1, 0, 0});
        rank0.put("1_70000", new long[] {1, 1, 0, 0});
        TensorRtStatisticFiles.writeRank(dir.resolve("rank0.safetensors"), rank0);
        var sink = new CollectingSink();
        ImportReport report = importDirectory(sink);
        assertThat(sink.described()).containsExactly("step#1 UNKNOWN 1 token(s) 3:[1, 1, 0, 0]");
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::reason)
                .containsExactly("layer 70000 is outside 0..32767");
    }

    @Test
    void aTensorThatIsNotCountsRefusesTheImportNamingFileAndTensor() throws IOException {
        TensorRtStatisticFiles.writeMeta(dir, 4, 2);
        byte[] header = "{\"0_1\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}".getBytes(
                StandardCharsets.UTF_8);
        Files.write(dir.resolve("rank0.safetensors"), ByteBuffer.allocate(8 + header.length + 16)
                .order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).array());
        assertThatThrownBy(() -> importDirectory(new CollectingSink()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rank0.safetensors: tensor '0_1' has dtype F32; expert counts are I64 or I32");
    }

    @Test
    void aDirectoryWithoutRankFilesIsRefusedSayingSo() throws IOException {
        TensorRtStatisticFiles.writeMeta(dir, 4, 2);
        assertThatThrownBy(() -> importDirectory(new CollectingSink()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.toAbsolutePath() + ": no rank{r}.safetensors beside meta_info.json (import the whole"
                        + " statistics directory)");
    }

    private ImportReport importDirectory(CollectingSink sink) throws IOException {
        return new TraceImport(TraceImporterContract.CLOCK).importFile(dir, ImportOptions.defaults(), sink,
                rows -> { });
    }
}
