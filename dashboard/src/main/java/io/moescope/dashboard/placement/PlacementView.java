package io.moescope.dashboard.placement;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.moescope.dashboard.GridColumns;
import io.moescope.dashboard.MainLayout;
import io.moescope.dashboard.PhaseChoice;
import io.moescope.dashboard.RunPicker;
import io.moescope.dashboard.StatusLine;
import io.moescope.dashboard.charts.EChart;
import io.moescope.platform.placement.PlacementAdvice;
import io.moescope.platform.placement.PlacementService;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import jakarta.annotation.security.PermitAll;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Placement: GPUs, replicas, groups and nodes in; DeepSeek EPLB's placement of a run's measured expert loads out,
 * with the predicted balancedness (mean / max GPU load) before and after. Read-only (it changes nothing): viewers.
 */
@PermitAll
@Route(value = "placement", layout = MainLayout.class)
@PageTitle("Placement")
public class PlacementView extends VerticalLayout implements BeforeEnterObserver {

    private final RunCatalog catalog;
    private final PlacementService placement;
    private final IntegerField gpus = number("GPUs", "gpus", 4);
    private final IntegerField replicas = number("Expert slots per layer (empty = fewest that fit)", "replicas", null);
    private final IntegerField groups = number("Expert groups", "groups", 1);
    private final IntegerField nodes = number("Nodes", "nodes", 1);
    private final RadioButtonGroup<PhaseChoice> phase = PhaseChoice.selector("placement-phase");
    private final StatusLine message = new StatusLine("placement-message");
    private final Div result = new Div();
    private ComboBox<RunSummary> run;

    public PlacementView(RunCatalog catalog, PlacementService placement) {
        this.catalog = catalog;
        this.placement = placement;
        setWidthFull();
        result.setWidthFull();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        result.removeAll();
        run = RunPicker.of(catalog, "Run whose loads to balance", "placement-run",
                event.getLocation().getQueryParameters().getSingleParameter("run"));
        Button suggest = new Button("Suggest placement", click -> suggest());
        suggest.setId("suggest-placement");
        suggest.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        HorizontalLayout form = new HorizontalLayout(run, gpus, replicas, groups, nodes, suggest);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setWrap(true);
        message.info(run.getValue() == null ? "Choose a run and the shape of your deployment, then press "
                + "\"Suggest placement\". The plan balances the run's measured loads per layer (DeepSeek EPLB)." : "");
        add(new H2("Placement"), form, phase, message, result);
        if (run.getValue() != null) {
            suggest();
        }
    }

    private void suggest() {
        result.removeAll();
        if (run.getValue() == null) {
            message.error("Choose a run first.");
            return;
        }
        if (gpus.getValue() == null || groups.getValue() == null || nodes.getValue() == null || gpus.isInvalid()
                || groups.isInvalid() || nodes.isInvalid() || replicas.isInvalid()) {
            message.error("GPUs, expert groups and nodes must be whole numbers.");
            return;
        }
        try {
            OptionalInt slots = replicas.getValue() == null ? OptionalInt.empty() : OptionalInt.of(replicas.getValue());
            Optional<PlacementAdvice> advice = placement.advise(run.getValue().runId(), phase.getValue().phase(),
                    gpus.getValue(), slots, groups.getValue(), nodes.getValue());
            advice.ifPresentOrElse(this::show, () -> message.error("The run no longer exists."));
        } catch (IllegalArgumentException e) {
            message.error("No placement: " + e.getMessage());
        }
    }

    private void show(PlacementAdvice advice) {
        message.info(PlacementText.summary(advice));
        EChart chart = new EChart(PlacementText.balancednessChart(advice), "360px");
        chart.setId("balancedness-chart");
        Select<PlacementAdvice.Layer> layer = new Select<>();
        layer.setLabel("Layer");
        layer.setId("placement-layer");
        layer.setItems(advice.layers());
        layer.setItemLabelGenerator(l -> "layer " + l.layer());
        Grid<PlacementText.GpuRow> gpuGrid = new Grid<>(PlacementText.GpuRow.class, false);
        gpuGrid.setId("placement-gpus");
        gpuGrid.addThemeVariants(GridVariant.LUMO_COMPACT);
        gpuGrid.addColumn(PlacementText.GpuRow::gpu).setHeader("GPU").setWidth("6em").setFlexGrow(0);
        gpuGrid.addColumn(PlacementText.GpuRow::experts).setHeader("Experts in its slots (xN = replicas of it)");
        GridColumns.fitToContent(gpuGrid);
        gpuGrid.setAllRowsVisible(true);
        layer.addValueChangeListener(change -> gpuGrid.setItems(PlacementText.gpuRows(change.getValue())));
        layer.setValue(advice.layers().get(0));
        result.add(chart, new H3("Suggested placement per GPU"), layer, gpuGrid);
    }

    private static IntegerField number(String label, String id, Integer value) {
        IntegerField field = new IntegerField(label);
        field.setId(id);
        field.setMin(1);
        field.setValue(value);
        field.setStepButtonsVisible(true);
        return field;
    }
}
