package io.moescope.traces.importer;

import io.moescope.traces.export.ExportHeader;

/** What a moescope export's header tells an importer of it, the same for both export formats. */
final class ExportHeaders {

    private ExportHeaders() {
    }

    /** The run's name and whole model identity; and, for a run whose requests cannot be told apart, why. */
    static void tell(ExportHeader header, TraceVisitor visitor) {
        visitor.model(new ModelHints(header.runName(), header.model(), header.model().name(), null, null, null));
        if (header.requestsNotSeparable() != null) {
            visitor.requestsNotSeparable(header.requestsNotSeparable());
        }
    }
}
