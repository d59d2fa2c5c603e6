package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.traces.export.ExportFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows that ingest would dead-letter are rejected at import by their line, with ingest's own reasons (the shared
 * {@code io.moescope.events.validation.TokenRules}), so that an import's summary counts what is stored.
 */
class ImportValidationTest {

    @TempDir
    Path dir;

    @Test
    void aCsvFileHasEachBadRowRejectedByLineAndReasonAndTheGoodRowsImported() throws IOException {
        Path file = Files.write(dir.resolve("bad.csv"), List.of(
                "request_id,token_index,layer,expert_ids,weights,phase",
                "r,0,0,1|2,0.5|0.5,prefill",
                "r,0,1,3|4,0.75|0.25,prefill",
                "r,1,0,5|6,NaN|0.5,decode",
                "r,1,1,7|0,0.5|0.5,decode",
                "r,2,0,1|2,Infinity|0.5,decode",
                "r,2,1,1|2,0.5|0.5,decode",
                "r,3,0,1|2,-0.5|0.5,decode",
                "r,3,1,3|3,0.5|0.5,decode",
                "r,4,0,1|2,0.5|0.5,sideways",
                "r,4,1,2147483647|2,0.5|0.5,decode"));
        var sink = new CollectingSink();

        ImportReport report = new TraceImport(TraceImporterContract.CLOCK).importFile(file, ImportOptions.defaults(),
                sink, rows -> { });

        assertThat(report.firstRejections()).extracting(r -> r.line() + ": " + r.reason()).containsExactly(
                "4: layer 0: 1 of 2 gate weights are NaN (weights are all known or all unknown)",
                "6: layer 0: gate weight Infinity of expert 1 is not a finite non-negative number",
                "8: layer 0: gate weight -0.5 of expert 1 is not a finite non-negative number",
                "9: layer 1: expert 3 chosen twice",
                "10: phase is none of prefill, decode, unknown: 'sideways'",
                "11: token routing cannot be stored: layer 1: expert id 2147483647 does not fit smallint");
        assertThat(sink.described()).containsExactly("r#0 PREFILL 0:[1, 2] 1:[3, 4]", "r#1 DECODE 1:[7, 0]",
                "r#2 DECODE 1:[1, 2]");
        assertThat(sink.runs.get(0).model().numExperts()).isEqualTo(8);
        assertThat(report.rowsRead()).isEqualTo(10).isEqualTo(report.decisionsImported() + report.rowsRejected());
    }

    @Test
    void aMoescopeJsonlFileHasEachBadLineRejectedByLineAndReasonAndTheGoodLinesImported() throws IOException {
        List<String> lines = new ArrayList<>(MoescopeExportRoundTripTest.export(ExportFormat.JSONL, "original",
                MoescopeExportRoundTripTest.MODEL, MoescopeExportRoundTripTest.TOKENS).lines().toList());
        // header, 3 tokens, end: the bad lines go before the end (lines 5 to 11)
        lines.addAll(4, List.of(
                token(0, "prefill", "0,7", "null,0.5"),
                token(1, "prefill", "0,7", "1e39,0.5"),
                token(2, "decode", "0,7", "-0.5,0.5"),
                token(3, "decode", "7,7", "0.5,0.5"),
                token(4, "sideways", "0,7", "0.5,0.5"),
                token(5, "decode", "2147483647,7", "0.5,0.5"),
                token(6, "decode", "0,7", "0.5,0.5").replace("\"layers\":[1,3]", "\"layers\":[1,2]")));
        var sink = new CollectingSink();

        ImportReport report = new TraceImport(TraceImporterContract.CLOCK).importFile(
                Files.write(dir.resolve("bad.jsonl"), lines), ImportOptions.defaults(), sink, rows -> { });

        assertThat(report.firstRejections()).extracting(r -> r.line() + ": " + r.reason()).containsExactly(
                "5: layer 3: 1 of 2 gate weights are NaN (weights are all known or all unknown)",
                "6: layer 3: gate weight Infinity of expert 0 is not a finite non-negative number",
                "7: layer 3: gate weight -0.5 of expert 0 is not a finite non-negative number",
                "8: layer 3: expert 7 chosen twice",
                "9: phase is none of prefill, decode, unknown: 'sideways'",
                "10: token routing cannot be stored: layer 3: expert id 2147483647 does not fit smallint",
                "11: layer 2 has no router in the model (MoE layers [1, 3])");
        assertThat(sink.described()).containsExactly("a,b#0 PREFILL 1:[3, 1] 3:[0, 7]",
                "a,b#1 DECODE 1:[3, 1] 3:[0, 7]", "r2#0 PREFILL 1:[3, 1] 3:[0, 7]");
        // one token per line, imported whole or rejected once; the header and end lines are no rows
        assertThat(report.rowsRead()).isEqualTo(10).isEqualTo(report.tokensImported() + report.rowsRejected());
    }

    private static String token(int index, String phase, String experts, String weights) {
        return "{\"request\":\"bad\",\"token\":" + index + ",\"tokenId\":1,\"phase\":\"" + phase
                + "\",\"t\":1763900000123456,\"layers\":[1,3],\"experts\":[[3,1],[" + experts + "]],\"weights\":"
                + "[[0.5,0.5],[" + weights + "]],\"entropy\":[null,null]}";
    }
}
