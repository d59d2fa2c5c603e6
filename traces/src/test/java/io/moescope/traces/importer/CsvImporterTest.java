package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvImporterTest extends TraceImporterContract {

    @Override
    TraceImporter importer() {
        return new CsvImporter();
    }

    @Override
    List<String> trace() {
        return List.of("request_id,token_index,layer,expert_ids,weights,phase", "\"a,b\",0,0,1|2,0.5|0.5,prefill",
                "\"a,b\",0,1,3|4,0.75|0.25,prefill", "\"a,b\",1,0,5|6,0.5|0.5,decode", "\"a,b\",1,1,7|0,0.5|0.5,decode");
    }

    @Override
    List<String> expectedTokens() {
        return List.of("a,b#0 PREFILL 0:[1, 2] 1:[3, 4]", "a,b#1 DECODE 0:[5, 6] 1:[7, 0]");
    }

    @Override
    int badLineIndex() {
        return 2;
    }

    @Override
    String badLine() {
        return "\"a,b\",zero,0,1|2,0.5|0.5,prefill";
    }

    @Test
    void saysWhichFieldIsBad() throws IOException {
        List<String> lines = new java.util.ArrayList<>(trace());
        lines.add(badLine());
        ImportReport report = importLines(lines, new CollectingSink());
        assertThat(report.firstRejections()).extracting(ImportReport.Rejection::reason)
                .containsExactly("token_index is not an integer: 'zero'");
    }

    @Test
    void aColumnLineWithoutARequiredColumnNamesTheMissingOne() throws IOException {
        var file = write("no-layer.csv", List.of("request_id,token_index,expert_ids", "a,0,1|2"));
        assertThatThrownBy(() -> new CsvImporter().read(TraceSource.of(file), ModelHints.NONE,
                new ShapeScan(rows -> { }))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " line 1: the column line lacks [layer] (it must name [request_id, token_index,"
                        + " layer, expert_ids])");
    }
}
