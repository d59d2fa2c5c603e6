package io.moescope.traces.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Field truth 4: a reader tells a complete export from one whose stream broke off, and says how much is missing. */
class ExportTallyTest {

    private static final ModelIdentity MODEL = new ModelIdentity("tiny-mixtral", "MixtralForCausalLM", 8, 2, 2,
            List.of(0, 1), 1000L, 400L);
    private static final List<TokenRouting> TOKENS = IntStream.range(0, 4).mapToObj(t -> new TokenRouting("run",
            t < 2 ? "a,b" : "r2", t % 2, 100 + t, Phase.PREFILL, 1_763_900_000_000_000L + t, List.of(
            new RouterDecision(0, new int[] {1, 2}, new float[] {0.5f, 0.5f}, 1f),
            new RouterDecision(1, new int[] {3, 4}, new float[] {0.25f, 0.75f}, Float.NaN)))).toList();

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void aWholeExportIsCompleteWithEveryTokenCounted(ExportFormat format) throws IOException {
        ExportTally tally = tally(format, export(format).lines().toList());

        assertThat(tally.shortfall()).isEmpty();
        assertThat(tally.tokensReceived()).isEqualTo(4);
    }

    @Test
    void aJsonlExportCutAfterItsThirdTokenLineHasThreeOfFourTokens() throws IOException {
        List<String> lines = export(ExportFormat.JSONL).lines().toList();

        ExportTally tally = tally(ExportFormat.JSONL, lines.subList(0, 1 + 3));

        assertThat(tally.shortfall()).contains("3 of 4 tokens");
    }

    @Test
    void aCsvExportCutBetweenTheLayerRowsOfItsThirdTokenHasTwoOfFourTokens() throws IOException {
        List<String> lines = export(ExportFormat.CSV).lines().toList();

        // header, columns, two rows each for tokens 1 and 2, then only the first row of token 3
        ExportTally tally = tally(ExportFormat.CSV, lines.subList(0, 2 + 2 * 2 + 1));

        assertThat(tally.shortfall()).contains("2 of 4 tokens");
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void anExportWithEveryTokenButNoEndLineIsNotComplete(ExportFormat format) throws IOException {
        List<String> lines = export(format).lines().toList();

        ExportTally tally = tally(format, lines.subList(0, lines.size() - 1));

        assertThat(tally.shortfall()).contains(format == ExportFormat.JSONL ? "4 of 4 tokens" : "3 of 4 tokens");
    }

    @Test
    void aStreamThatBrokeBeforeItsHeaderHasNoHeader() {
        assertThat(tally(ExportFormat.JSONL, List.of()).shortfall()).contains("no export header");
    }

    @Test
    void theWriterRefusesToEndAnExportWithFewerTokensThanItsHeaderAnnounced() throws IOException {
        var writer = ExportFormat.JSONL.open(new StringWriter(), new ExportHeader("short", MODEL, 4));
        writer.token(TOKENS.get(0));

        assertThatThrownBy(writer::end).isInstanceOf(IllegalStateException.class)
                .hasMessage("export of run 'short' announced 4 tokens but 1 were written");
    }

    private static ExportTally tally(ExportFormat format, List<String> lines) {
        var tally = new ExportTally(format);
        lines.forEach(tally::line);
        return tally;
    }

    private static String export(ExportFormat format) throws IOException {
        var out = new StringWriter();
        var writer = format.open(out, new ExportHeader("tallied", MODEL, TOKENS.size()));
        for (TokenRouting t : TOKENS) {
            writer.token(t);
        }
        writer.end();
        return out.toString();
    }
}
