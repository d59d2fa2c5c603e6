package io.moescope.traces.importer;

import io.moescope.traces.export.ExportFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalLong;

class MoescopeJsonlImporterTest extends TraceImporterContract {

    @Override
    TraceImporter importer() {
        return new MoescopeJsonlImporter();
    }

    @Override
    List<String> trace() {
        try {
            return MoescopeExportRoundTripTest.export(ExportFormat.JSONL, "original", MoescopeExportRoundTripTest.MODEL,
                    MoescopeExportRoundTripTest.TOKENS).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One token per line. */
    @Override
    OptionalLong rowsImported(ImportReport report) {
        return OptionalLong.of(report.tokensImported() + report.warmupTokens());
    }

    @Override
    List<String> expectedTokens() {
        return List.of("a,b#0 PREFILL 1:[3, 1] 3:[0, 7]", "a,b#1 DECODE 1:[3, 1] 3:[0, 7]",
                "r2#0 PREFILL 1:[3, 1] 3:[0, 7]");
    }
}
