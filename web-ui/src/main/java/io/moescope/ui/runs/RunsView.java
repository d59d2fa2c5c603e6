package io.moescope.ui.runs;

import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.provider.QuerySortOrder;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.moescope.app.runs.RunCatalog;
import io.moescope.app.runs.RunSummary;
import io.moescope.ui.LiveRefresh;
import io.moescope.ui.MainLayout;
import io.moescope.ui.RunText;
import io.moescope.ui.run.RunView;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.PageRequest;

/** Every run moescope knows, newest first, paged from the database and refreshed while runs arrive. */
@PermitAll
@Route(value = "", layout = MainLayout.class)
@PageTitle("Runs")
public class RunsView extends VerticalLayout {

    /** How many of the newest runs the refresh check looks at: new and running runs sort first. */
    private static final int WATCHED_RUNS = 20;

    private final RunCatalog catalog;
    private final Grid<RunSummary> grid = new Grid<>(RunSummary.class, false);
    private final Span total = new Span();
    private List<Object> lastSeen = List.of();

    public RunsView(RunCatalog catalog) {
        this.catalog = catalog;
        setSizeFull();
        H2 title = new H2("Runs");
        HorizontalLayout header = new HorizontalLayout(title, total);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        configureGrid();
        add(header, grid);
        expand(grid);
        total.setText(runCount(catalog.count()));
        addAttachListener(attach -> lastSeen = snapshot());
        LiveRefresh.whileAttached(this, this::refreshIfChanged);
    }

    private void configureGrid() {
        grid.setId("runs-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(RunText::name).setHeader("Run").setSortProperty("name").setFlexGrow(2)
                .setTooltipGenerator(RunSummary::runId)
                .setKey("name");
        grid.addColumn(LitRenderer.<RunSummary>of("""
                        <div>${item.model}</div>
                        <div style="font-size: var(--lumo-font-size-s); color: var(--lumo-secondary-text-color)">\
                        ${item.shape}</div>""")
                        .withProperty("model", r -> r.modelName() == null ? "" : r.modelName())
                        .withProperty("shape", RunText::shape))
                .setHeader("Model").setSortProperty("architecture", "numExperts", "topK").setFlexGrow(3)
                .setTooltipGenerator(RunText::shape)
                .setKey("model");
        grid.addColumn(r -> RunText.count(r.tokens())).setHeader("Tokens").setSortProperty("tokens")
                .setTextAlign(ColumnTextAlign.END).setWidth("120px").setFlexGrow(0).setKey("tokens");
        grid.addColumn(r -> RunText.count(r.decisions())).setHeader("Decisions").setSortProperty("decisions")
                .setTextAlign(ColumnTextAlign.END).setWidth("140px").setFlexGrow(0).setKey("decisions");
        grid.addColumn(RunText::status).setHeader("Status").setSortProperty("status").setWidth("120px").setFlexGrow(0)
                .setKey("status");
        grid.addColumn(r -> RunText.time(r.startedAt())).setHeader("Started").setSortProperty("startedAt")
                .setWidth("230px").setFlexGrow(0).setKey("started");
        grid.getColumns().forEach(c -> c.setResizable(true));
        // Lazy and paged: the grid asks for one page at a time, sorted by the database.
        grid.setItemsPageable(pageable -> catalog.page(pageable).getContent(), pageable -> catalog.count());
        grid.setEmptyStateComponent(emptyState());
        grid.addItemClickListener(click -> click.getSource().getUI().ifPresent(ui -> ui.navigate(RunView.class,
                new RouteParameters(RunView.RUN_ID, click.getItem().runId()))));
    }

    /** Sort properties of the grid's columns: every one must be one the catalog can sort by. */
    List<String> sortProperties() {
        return grid.getColumns().stream().flatMap(c -> c.getSortOrder(SortDirection.ASCENDING))
                .map(QuerySortOrder::getSorted).toList();
    }

    private static Div emptyState() {
        Div empty = new Div();
        empty.setId("runs-empty");
        empty.add(new Paragraph("No runs yet. Routing arrives here as a model runs."));
        empty.add(new Paragraph(new Span("To watch a demo run stream in, start the platform with "),
                new Code("./moescope serve"), new Span(".")));
        empty.add(new Paragraph(new Span("To capture your own model's routing, run "),
                new Code("./moescope probe ..."), new Span(" (see "), new Code("./moescope probe --help"),
                new Span(").")));
        return empty;
    }


    /** Re-fetches the visible page only when a run appeared or one of the newest changed, to keep polls cheap. */
    private void refreshIfChanged() {
        List<Object> seen = snapshot();
        if (!seen.equals(lastSeen)) {
            lastSeen = seen;
            total.setText(runCount((Long) seen.get(0)));
            grid.getDataProvider().refreshAll();
        }
    }

    private static String runCount(long runs) {
        return RunText.count(runs) + (runs == 1 ? " run" : " runs");
    }

    private List<Object> snapshot() {
        List<Object> seen = new ArrayList<>();
        seen.add(catalog.count());
        seen.addAll(catalog.page(PageRequest.of(0, WATCHED_RUNS)).getContent());
        return seen;
    }
}
