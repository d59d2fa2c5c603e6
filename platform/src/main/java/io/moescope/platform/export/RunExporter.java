package io.moescope.platform.export;

import io.moescope.events.TokenRouting;
import io.moescope.platform.tokens.StoredTokens;
import io.moescope.storage.routing.RunTokenReader;
import io.moescope.traces.export.ExportFormat;
import io.moescope.traces.export.ExportHeader;
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

    /**
     * Writes the header (announcing the token count), every stored token of {@code run} and the end line to
     * {@code out}, then flushes it. A reader that gets fewer tokens than announced, or no end line, knows the stream
     * broke (see ExportTally).
     */
    public void export(StoredTokens.StoredRun run, ExportFormat format, Writer out) {
        tokens.withCountedTokens(run.runId(), RunTokenReader.Order.REQUEST_ID, (count, iterator) -> {
            try {
                ExportFormat.TokenWriter writer = format.open(out,
                        new ExportHeader(run.name(), run.model(), count, run.requestsNotSeparable()));
                for (Iterator<TokenRouting> it = iterator; it.hasNext(); ) {
                    writer.token(it.next());
                }
                writer.end();
                out.flush();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
