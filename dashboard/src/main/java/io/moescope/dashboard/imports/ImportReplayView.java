package io.moescope.dashboard.imports;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.moescope.dashboard.MainLayout;
import io.moescope.platform.imports.TraceImports;
import io.moescope.platform.replay.ReplayService;
import io.moescope.platform.runs.RunCatalog;
import jakarta.annotation.security.RolesAllowed;

/**
 * Bring traces in and push stored runs back through Kafka. Both write to the platform, so the view is for
 * administrators: {@link RolesAllowed} is what Vaadin's navigation access control checks once Spring Security is
 * configured (until then every view is open).
 */
@Route(value = "import", layout = MainLayout.class)
@PageTitle("Import & Replay")
@RolesAllowed(ImportReplayView.ADMIN)
public class ImportReplayView extends VerticalLayout {

    /** The role allowed to import and replay. */
    public static final String ADMIN = "ADMIN";

    public ImportReplayView(TraceImports imports, ReplayService replays, RunCatalog runs) {
        add(new H2("Import & Replay"), new ImportPanel(imports), new ReplayPanel(replays, runs));
    }
}
