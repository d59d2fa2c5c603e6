package io.moescope.app.export;

import io.moescope.app.tokens.StoredTokens;
import io.moescope.events.TokenRouting;
import io.moescope.probe.export.ExportFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Iterator;
import org.springframework.stereotype.Service;

/** Streams a stored run in moescope's export formats, in request id, token index order, with constant memory. */
@Service
public class RunExporter {

    private final StoredTokens tokens;

    RunExporter(StoredTokens tokens) {
        this.tokens = tokens;
    }

    /** Writes the header and every stored token of {@code run} to {@code out}, then flushes it. */
    public void export(StoredTokens.StoredRun run, ExportFormat format, Writer out) {
        tokens.withTokens(run.runId(), StoredTokens.Order.REQUEST, iterator -> {
            try {
                ExportFormat.TokenWriter writer = format.open(out, run.name(), run.model());
                for (Iterator<TokenRouting> it = iterator; it.hasNext(); ) {
                    writer.token(it.next());
                }
                out.flush();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
