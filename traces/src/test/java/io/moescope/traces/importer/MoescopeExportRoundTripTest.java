package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.RunLifecycle;
import io.moescope.traces.export.ExportFormat;
import io.moescope.traces.export.ExportHeader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** export -> import -> export gives identical files, for both export formats. */
class MoescopeExportRoundTripTest {

    static final ModelIdentity MODEL = new ModelIdentity("demo \"moe\"", "MixtralForCausalLM", 8, 2, 4,
            List.of(1, 3), 123_456L, 78_901L);

    static final List<TokenRouting> TOKENS = List.of(
            token("a,b", 0, Phase.PREFILL, 0.1f, 1.2345678f),
            token("a,b", 1, Phase.DECODE, Float.NaN, Float.NaN),
            token("r2", 0, Phase.PREFILL, 1e-8f, 0.6931472f));

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void exportImportExportGivesIdenticalFiles(ExportFormat format) throws IOException {
        String first = export(format, "original", MODEL, TOKENS);
        Path file = Files.writeString(dir.resolve("export." + format.id()), first);
        var sink = new CollectingSink();
        ImportReport report = new TraceImport(TraceImporterContract.CLOCK).importFile(file, ImportOptions.defaults(),
                sink, rows -> { });
        String second = export(format, sink.runs.get(0).runName(), sink.runs.get(0).model(), sorted(sink.tokens));
        assertThat(second).isEqualTo(first);
        assertThat(report.rowsRejected()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void aTokenWhosePhaseIsUnknownIsExportedAsUnknownAndImportedAsSuch(ExportFormat format) throws IOException {
        var tokens = List.of(token("r", 0, Phase.PREFILL, 0.5f, 0.5f), token("r", 1, Phase.UNKNOWN, 0.5f, 0.5f));
        String first = export(format, "original", MODEL, tokens);
        Path file = Files.writeString(dir.resolve("export." + format.id()), first);
        var sink = new CollectingSink();

        new TraceImport(TraceImporterContract.CLOCK).importFile(file, ImportOptions.defaults(), sink, rows -> { });

        assertThat(first).contains("unknown");
        assertThat(sorted(sink.tokens)).extracting(TokenRouting::phase).containsExactly(Phase.PREFILL, Phase.UNKNOWN);
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void anImportedExportOfARunWhoseRequestsCannotBeToldApartKeepsTheReasonAndExportsIdentically(
            ExportFormat format) throws IOException {
        String why = "requests in stream '0': 3 of its 3 forward passes after the first hold several tokens";
        String first = export(format, new ExportHeader("original", MODEL, TOKENS.size(), why), TOKENS);
        Path file = Files.writeString(dir.resolve("export." + format.id()), first);
        var sink = new CollectingSink();

        ImportReport report = new TraceImport(TraceImporterContract.CLOCK).importFile(file, ImportOptions.defaults(),
                sink, rows -> { });

        assertThat(report.requestsNotSeparable()).contains(why);
        assertThat(sink.runs).extracting(RunLifecycle::requestsNotSeparable).containsOnly(why);
        RunLifecycle imported = sink.runs.get(0);
        assertThat(export(format, new ExportHeader(imported.runName(), imported.model(), TOKENS.size(),
                imported.requestsNotSeparable()), sorted(sink.tokens))).isEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void aPartialExportIsRefusedBeforeAnyRunStartsNamingTheFileAndWhatIsMissing(ExportFormat format)
            throws IOException {
        List<String> lines = export(format, "original", MODEL, TOKENS).lines().toList();
        Path file = Files.write(dir.resolve("partial." + format.id()), lines.subList(0, lines.size() - 1));
        var sink = new CollectingSink();

        assertThatThrownBy(() -> new TraceImport(TraceImporterContract.CLOCK).importFile(file,
                ImportOptions.defaults(), sink, rows -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " is a partial moescope export (" + (format == ExportFormat.JSONL ? TOKENS.size()
                        : TOKENS.size() - 1) + " of " + TOKENS.size() + " tokens): export the run again");
        assertThat(sink.runs).isEmpty();
    }

    static String export(ExportFormat format, String run, ModelIdentity model, List<TokenRouting> tokens)
            throws IOException {
        return export(format, new ExportHeader(run, model, tokens.size()), tokens);
    }

    static String export(ExportFormat format, ExportHeader header, List<TokenRouting> tokens) throws IOException {
        var out = new StringWriter();
        var writer = format.open(out, header);
        for (TokenRouting t : tokens) {
            writer.token(t);
        }
        writer.end();
        return out.toString();
    }

    private static List<TokenRouting> sorted(List<TokenRouting> tokens) {
        return tokens.stream().sorted(Comparator.comparing(TokenRouting::requestId)
                .thenComparingInt(TokenRouting::tokenIndex)).toList();
    }

    private static TokenRouting token(String request, int index, Phase phase, float weight, float entropy) {
        return new TokenRouting("run", request, index, 100 + index, phase, 1_763_900_000_123_456L + index, List.of(
                new RouterDecision(1, new int[] {3, 1}, new float[] {weight, 1 - weight}, entropy),
                new RouterDecision(3, new int[] {0, 7}, new float[] {0.5f, 0.5f}, Float.NaN)));
    }
}
