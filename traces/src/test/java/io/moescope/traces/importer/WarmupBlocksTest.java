package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19, item 1: warm-up blocks anywhere in a file, found, reported by line and left out by default. */
class WarmupBlocksTest {

    @TempDir
    Path dir;

    private ImportReport importLog(List<String> lines, boolean includeWarmup, CollectingSink sink)
            throws IOException {
        Path file = dir.resolve("qwen-routes.jsonl");
        Files.write(file, lines);
        return new TraceImport(TraceImporterContract.CLOCK).importFile(file,
                ImportOptions.defaults().withWarmup(includeWarmup, ImportOptions.DEFAULT_WARMUP_MIN_DECISIONS), sink,
                rows -> { });
    }

    @Test
    void findsBothBlocksOfAProfiledTwiceLogAndSaysWhereTheyAre() throws IOException {
        ImportReport report = importLog(QwenProfiledTwiceLog.lines(), false, new CollectingSink());

        assertThat(report.warmupBlocks()).extracting(ImportReport.WarmupBlock::firstLine,
                ImportReport.WarmupBlock::lastLine, ImportReport.WarmupBlock::tokens).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, 8193L, 8192L),
                org.assertj.core.groups.Tuple.tuple(9398L, 17589L, 8192L));
        assertThat(report.warmupBlocks().get(1).toString()).isEqualTo(dir.resolve("qwen-routes.jsonl")
                + ":9398-17589: 8192 tokens (8192 decisions) of identical decisions");
    }

    @Test
    void leavesBothBlocksOutByDefaultAndImportsEveryRealRow() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLog(QwenProfiledTwiceLog.lines(), false, sink);

        // 18,188 rows = 2 x 8,192 warm-up + 1,204 prefill + 600 decode rows (the meta line is not a row)
        assertThat(report.rowsRead()).isEqualTo(18_188);
        assertThat(report.warmupTokens()).isEqualTo(16_384);
        assertThat(report.tokensImported()).isEqualTo(1_804);
        assertThat(report.warmupIncluded()).isFalse();
        assertThat(sink.tokens).noneMatch(t -> t.decisions().get(0).expertIds()[0] == 0
                && t.decisions().get(0).weights()[0] == 0.2871f);
    }

    @Test
    void theRealRowsAloneGiveTheBalancedCountsOfTheFixture() throws IOException {
        var sink = new CollectingSink();
        importLog(QwenProfiledTwiceLog.lines(), false, sink);

        long[] counts = new long[60];
        for (TokenRouting token : sink.tokens) {
            for (int e : token.decisions().get(0).expertIds()) {
                counts[e]++;
            }
        }
        // 1,804 rows x 4 = 7,216 choices: 120 full turns of the 60 experts, plus 4 rows covering experts 0..15
        assertThat(counts[0]).isEqualTo(121);
        assertThat(counts[15]).isEqualTo(121);
        assertThat(counts[16]).isEqualTo(120);
        assertThat(counts[59]).isEqualTo(120);
    }

    @Test
    void importsBothBlocksMarkedWhenAskedTo() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLog(QwenProfiledTwiceLog.lines(), true, sink);

        assertThat(report.tokensImported()).isEqualTo(18_188);
        assertThat(report.warmupIncluded()).isTrue();
        assertThat(sink.tokens.stream().filter(t -> t.requestId().equals("warmup/0"))).hasSize(16_384);
    }

    @Test
    void aRunOfIdenticalRowsShorterThanTheThresholdInTheMiddleIsRealRouting() throws IOException {
        List<String> lines = new ArrayList<>(List.of(RouteLogImporterTest.META));
        lines.add(RouteLogImporterTest.route(0, "[5,6,7,8]"));
        for (int t = 0; t < 999; t++) {
            lines.add(RouteLogImporterTest.route(t, "[1,2,3,4]"));
        }
        lines.add(RouteLogImporterTest.route(0, "[9,6,7,8]"));

        ImportReport report = importLog(lines, false, new CollectingSink());

        assertThat(report.warmupTokens()).isZero();
        assertThat(report.warmupBlocks()).isEmpty();
        assertThat(report.tokensImported()).isEqualTo(1_001);
    }

    @Test
    void aThousandIdenticalRowsInTheMiddleAreABlock() throws IOException {
        List<String> lines = new ArrayList<>(List.of(RouteLogImporterTest.META));
        lines.add(RouteLogImporterTest.route(0, "[5,6,7,8]"));
        for (int t = 0; t < 1000; t++) {
            lines.add(RouteLogImporterTest.route(t, "[1,2,3,4]"));
        }
        lines.add(RouteLogImporterTest.route(0, "[9,6,7,8]"));

        ImportReport report = importLog(lines, false, new CollectingSink());

        assertThat(report.warmupBlocks()).extracting(ImportReport.WarmupBlock::firstLine,
                ImportReport.WarmupBlock::lastLine).containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 1002L));
        assertThat(report.tokensImported()).isEqualTo(2);
    }
}
