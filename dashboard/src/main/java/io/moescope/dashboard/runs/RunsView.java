package io.moescope.dashboard.runs;

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
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.QuerySortOrder;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import io.moescope.dashboard.GridColumns;
import io.moescope.dashboard.LiveRefresh;
import io.moescope.dashboard.MainLayout;
import io.moescope.dashboard.RunText;
import io.moescope.dashboard.run.RunView;
import io.moescope.platform.alerts.RunHealth;
import io.moescope.platform.alerts.RunHealthQuery;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunFilter;
import io.moescope.platform.runs.RunHealthFilter;
import io.moescope.platform.runs.RunStatusFilter;
import io.moescope.platform.runs.RunSummary;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.data.domain.PageRequest;

/**
 * Every run moescope knows, newest first, with its model, volume and alert health; filtered, sorted and paged by
 * the database, and refreshed while runs arrive.
 */
@PermitAll
@Route(value = "", layout = MainLayout.class)
@PageTitle("Runs")
public class RunsView extends VerticalLayout {

    /** How many of the newest runs the refresh check looks at: new and running runs sort first. */
    private static final int WATCHED_RUNS = 20;

    private final RunCatalog catalog;
    private final RunHealthQuery health;
    private final Grid<RunRow> grid = new Grid<>(RunRow.class, false);
    private final Span total = new Span();
    private final TextField text = new TextField();
    private final Select<RunStatusFilter> status = new Select<>();
    private final Select<RunHealthFilter> healthFilter = new Select<>();
    private List<Object> lastSeen = List.of();

    public RunsView(RunCatalog catalog, RunHealthQuery health) {
        this.catalog = catalog;
        this.health = health;
        setSizeFull();
        H2 title = new H2("Runs");
        HorizontalLayout header = new HorizontalLayout(title, total);
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        configureFilters();
        configureGrid();
        add(header, new HorizontalLayout(text, status, healthFilter), grid);
        expand(grid);
        addAttachListener(attach -> {
            lastSeen = snapshot();
            showTotal();
        });
        LiveRefresh.whileAttached(this, this::refreshIfChanged);
    }

    private void configureFilters() {
        text.setId("runs-filter");
        text.setPlaceholder("Name, id, model or architecture");
        text.setClearButtonVisible(true);
        text.setWidth("22em");
        text.setValueChangeMode(ValueChangeMode.LAZY);
        text.addValueChangeListener(change -> filterChanged());
        status.setId("runs-status");
        status.setItems(RunStatusFilter.values());
        status.setItemLabelGenerator(s -> s == RunStatusFilter.ANY ? "Any status" : s.name().toLowerCase(Locale.ROOT));
        status.setValue(RunStatusFilter.ANY);
        status.addValueChangeListener(change -> filterChanged());
        healthFilter.setId("runs-health");
        healthFilter.setItems(RunHealthFilter.values());
        healthFilter.setItemLabelGenerator(h -> h == RunHealthFilter.ANY ? "Any health"
                : h.name().toLowerCase(Locale.ROOT));
        healthFilter.setValue(RunHealthFilter.ANY);
        healthFilter.addValueChangeListener(change -> filterChanged());
    }

    private void configureGrid() {
        grid.setId("runs-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(row -> RunText.name(row.run())).setHeader("Run").setSortProperty("name").setFlexGrow(2)
                .setTooltipGenerator(row -> row.run().runId()).setKey("name");
        // Runs of one name (every demo run is "demo") are told apart by where they came from and when.
        grid.addColumn(row -> RunText.source(row.run())).setHeader("Source").setSortable(false).setKey("source");
        grid.addColumn(HealthBadge.renderer()).setHeader("Health").setSortable(false).setWidth("110px")
                .setFlexGrow(0).setKey("health");
        grid.addColumn(LitRenderer.<RunRow>of("""
                        <div>${item.model}</div>
                        <div style="font-size: var(--lumo-font-size-s); color: var(--lumo-secondary-text-color)">\
                        ${item.shape}</div>
                        <div style="font-size: var(--lumo-font-size-s); color: var(--lumo-secondary-text-color)">\
                        ${item.parameters}</div>""")
                        .withProperty("model", row -> row.run().modelName() == null ? "" : row.run().modelName())
                        .withProperty("shape", row -> RunText.shape(row.run()))
                        .withProperty("parameters", row -> RunText.parameters(row.run())))
                .setHeader("Model").setSortProperty("architecture", "numExperts", "topK").setFlexGrow(3)
                .setTooltipGenerator(row -> RunText.shape(row.run())).setKey("model");
        grid.addColumn(row -> RunText.count(row.run().tokens())).setHeader("Tokens").setSortProperty("tokens")
                .setTextAlign(ColumnTextAlign.END).setWidth("120px").setFlexGrow(0).setKey("tokens");
        grid.addColumn(row -> RunText.count(row.run().decisions())).setHeader("Decisions")
                .setSortProperty("decisions").setTextAlign(ColumnTextAlign.END).setWidth("140px").setFlexGrow(0)
                .setKey("decisions");
        grid.addColumn(row -> RunText.duration(row.run())).setHeader("Duration").setSortable(false)
                .setTextAlign(ColumnTextAlign.END).setWidth("120px").setFlexGrow(0).setKey("duration");
        grid.addColumn(row -> RunText.status(row.run())).setHeader("Status").setSortProperty("status")
                .setTooltipGenerator(row -> RunText.statusNote(row.run())).setWidth("110px").setFlexGrow(0)
                .setKey("status");
        grid.addColumn(row -> RunText.time(row.run().startedAt())).setHeader("Started").setSortProperty("startedAt")
                .setWidth("220px").setFlexGrow(0).setKey("started");
        grid.getColumns().forEach(c -> c.setResizable(true));
        GridColumns.fitToContent(grid);
        // Lazy and paged: the grid asks for one page at a time, filtered, sorted and limited by the database.
        grid.setItemsPageable(pageable -> rows(catalog.page(filter(), pageable).getContent()),
                pageable -> catalog.count(filter()));
        grid.setEmptyStateComponent(emptyState());
        grid.addItemClickListener(click -> click.getSource().getUI().ifPresent(ui -> ui.navigate(RunView.class,
                new RouteParameters(RunView.RUN_ID, click.getItem().run().runId()))));
    }

    /** The page's runs with their health, read in one query for the whole page. */
    private List<RunRow> rows(List<RunSummary> runs) {
        Map<String, RunHealth> healthById = health.of(runs.stream().map(RunSummary::runId).toList());
        return runs.stream().map(run -> new RunRow(run, healthById.getOrDefault(run.runId(), RunHealth.OK))).toList();
    }

    RunFilter filter() {
        return new RunFilter(text.getValue(), status.getValue(), healthFilter.getValue());
    }

    private void filterChanged() {
        showTotal();
        grid.getDataProvider().refreshAll();
    }

    /** Sort properties of the grid's sortable columns: every one must be one the catalog can sort by. */
    List<String> sortProperties() {
        return grid.getColumns().stream().filter(Grid.Column::isSortable)
                .flatMap(c -> c.getSortOrder(SortDirection.ASCENDING))
                .map(QuerySortOrder::getSorted).toList();
    }

    private static Div emptyState() {
        Div empty = new Div();
        empty.setId("runs-empty");
        empty.add(new Paragraph("No runs here. Routing arrives here as a model runs; a filter may hide runs."));
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
            showTotal();
            grid.getDataProvider().refreshAll();
        }
    }

    private void showTotal() {
        RunFilter filter = filter();
        long all = catalog.count();
        String runs = RunText.count(all) + (all == 1 ? " run" : " runs");
        total.setText(filter.equals(RunFilter.ALL) ? runs : RunText.count(catalog.count(filter)) + " of " + runs);
    }

    private List<Object> snapshot() {
        List<Object> seen = new ArrayList<>();
        seen.add(catalog.count());
        List<RunSummary> newest = catalog.page(PageRequest.of(0, WATCHED_RUNS)).getContent();
        seen.addAll(newest);
        seen.add(health.of(newest.stream().map(RunSummary::runId).toList()));
        return seen;
    }
}
