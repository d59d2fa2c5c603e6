package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link TraceImporter} must do (Micrometer's compatibility-kit pattern): a subclass supplies one small
 * trace in its format and the tokens it holds; the kit checks detection, exact import, bad-line handling and the
 * refusal of a file in another format.
 */
abstract class TraceImporterContract {

    private static final int FUZZ_SEEDS = 60;

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    abstract TraceImporter importer();

    /** A valid trace, one line per element. */
    abstract List<String> trace();

    /** The tokens {@link #trace()} holds, as {@link CollectingSink#describe} writes them. */
    abstract List<String> expectedTokens();

    /** Where the kit inserts a malformed line (0-based index into {@link #trace()}). */
    int badLineIndex() {
        return 1;
    }

    String badLine() {
        return "{\"layer\": oops";
    }

    /** A first line of a file in some other format. */
    String otherFormatLine() {
        return "{\"dataset\":\"d\",\"problem_id\":0,\"layer\":0,\"token_idx\":0,\"experts\":[1,0],"
                + "\"gating_probs\":[0.6,0.4]}";
    }

    ImportOptions options() {
        return ImportOptions.defaults();
    }

    /**
     * The rows (data lines) an import sent, so that rows read = rows imported + rows rejected can be checked: the
     * decisions where a line holds one decision, the tokens where it holds one token; empty where a line holds
     * a request's tokens (routed-experts, whatever the engine: the count of lines sent is not reported then).
     */
    OptionalLong rowsImported(ImportReport report) {
        return importer().format() == TraceFormat.ROUTED_EXPERTS ? OptionalLong.empty()
                : OptionalLong.of(report.decisionsImported() + report.warmupDecisions());
    }

    @Test
    void isDetectedFromTheFileAlone() throws IOException {
        Path file = write("trace", trace());
        assertThat(new FormatDetector(FormatDetector.all()).detect(file)).map(TraceImporter::format)
                .contains(importer().format());
    }

    @Test
    void importsEveryTokenOfTheTrace() throws IOException {
        var sink = new CollectingSink();
        ImportReport report = importLines(trace(), sink);
        assertThat(sink.described()).containsExactlyElementsOf(expectedTokens());
        assertThat(report.rowsRejected()).isZero();
        assertThat(report.tokensImported()).isEqualTo(expectedTokens().size());
    }

    @Test
    void startsAndFinishesOneRunWithTheImportSource() throws IOException {
        var sink = new CollectingSink();
        importLines(trace(), sink);
        assertThat(sink.runs).extracting(r -> r.status()).containsExactly(RunStatus.STARTED, RunStatus.FINISHED);
        assertThat(sink.runs.get(0).source()).isEqualTo("import:" + importer().format().id());
        assertThat(sink.runs.get(1).tokens()).isEqualTo(expectedTokens().size());
    }

    @Test
    void reportsTheLinesOfBothPassesWhenEachEnds() throws IOException {
        long[] last = {-1, -1};
        ImportReport report = new TraceImport(CLOCK).importFile(write("trace", trace()), options(),
                new CollectingSink(), new ImportProgress() {
                    @Override
                    public void rowsScanned(long rows) {
                        last[0] = rows;
                    }

                    @Override
                    public void rowsImported(long rows) {
                        last[1] = rows;
                    }
                });
        assertThat(last).containsExactly(report.rowsRead(), report.rowsRead());
        assertThat(report.rowsRead()).isPositive();
    }

    @Test
    void reportsABadLineWithFileAndLineNumberAndKeepsTheGoodOnes() throws IOException {
        List<String> lines = new ArrayList<>(trace());
        lines.add(badLineIndex(), badLine());
        var sink = new CollectingSink();
        ImportReport report = importLines(lines, sink);
        assertThat(sink.described()).containsExactlyElementsOf(expectedTokens());
        assertThat(report.rowsRejected()).isEqualTo(1);
        ImportReport.Rejection rejection = report.firstRejections().get(0);
        assertThat(rejection.file()).isEqualTo(dir.resolve("trace"));
        assertThat(rejection.line()).isEqualTo(badLineIndex() + 1);
        assertThat(rejection.reason()).isNotBlank();
    }

    @Test
    void aLineOverTheBoundIsRejectedByFileAndLineUnreadAndTheOthersAreImported() throws IOException {
        int bound = trace().stream().mapToInt(String::length).max().orElseThrow() + 10;
        List<String> lines = new ArrayList<>(trace());
        lines.add(badLineIndex(), "{" + "x".repeat(bound));
        var sink = new CollectingSink();
        ImportReport report = new TraceImport(CLOCK).importFile(write("trace", lines),
                options().withMaxLineChars(bound), sink, rows -> { });
        assertThat(sink.described()).containsExactlyElementsOf(expectedTokens());
        assertThat(report.rowsRejected()).isEqualTo(1);
        ImportReport.Rejection rejection = report.firstRejections().get(0);
        assertThat(rejection.line()).isEqualTo(badLineIndex() + 1);
        assertThat(rejection.reason()).isEqualTo(dir.resolve("trace") + " line " + (badLineIndex() + 1) + ": "
                + (bound + 1) + " characters, over the " + bound + " a line may have (--max-line-chars)");
    }

    /**
     * Seeded mutations of the trace (truncated, repeated and removed lines, hostile numbers, flipped characters and
     * bytes): the import ends with a report or with the importer's own refusal of the whole file, never another
     * exception, and every rejection names the file and a line of it.
     */
    @Test
    void aMutatedTraceIsImportedOrRefusedAndEveryRejectionNamesFileAndLine() throws IOException {
        long rejected = 0;
        for (int seed = 0; seed < FUZZ_SEEDS; seed++) {
            Path file = Files.write(dir.resolve("fuzz-" + seed), TraceMutations.mutate(trace(), 1 + seed % 6,
                    new Random(seed)));
            long lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1).size();
            String context = "seed " + seed + ":\n" + Files.readString(file, StandardCharsets.ISO_8859_1);
            ImportReport report;
            try {
                report = new TraceImport(CLOCK).importFile(file, options().withFormat(importer().format()),
                        new CollectingSink(), rows -> { });
            } catch (IllegalArgumentException refusedWhole) {
                assertThat(refusedWhole.getMessage()).as(context).isNotBlank();
                continue;
            }
            OptionalLong imported = rowsImported(report);
            if (imported.isPresent()) {
                assertThat(report.rowsRead()).as(context).isEqualTo(imported.getAsLong() + report.rowsRejected());
            } else {
                assertThat(report.rowsRejected()).as(context).isLessThanOrEqualTo(report.rowsRead());
            }
            assertThat(report.firstRejections()).as(context)
                    .hasSize((int) Math.min(report.rowsRejected(), ImportReport.KEPT_REJECTIONS))
                    .allSatisfy(r -> {
                        assertThat(r.file()).isEqualTo(file);
                        assertThat(r.line()).isBetween(1L, lines);
                        assertThat(r.reason()).isNotBlank();
                    });
            rejected += report.rowsRejected();
        }
        assertThat(rejected).as("the mutations reach the rejections").isPositive();
    }

    @Test
    void refusesAFileOfAnotherFormatNamingBoth() throws IOException {
        Path file = write("other", List.of(otherFormatLine()));
        var importer = new TraceImport(CLOCK);
        assertThatThrownBy(() -> importer.importFile(file, options().withFormat(importer().format()),
                new CollectingSink(), rows -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected format " + importer().format().id())
                .hasMessageContaining("but the file is ");
    }

    ImportReport importLines(List<String> lines, CollectingSink sink) throws IOException {
        return new TraceImport(CLOCK).importFile(write("trace", lines), options(), sink, rows -> { });
    }

    Path write(String name, List<String> lines) throws IOException {
        return Files.write(dir.resolve(name), lines);
    }
}
