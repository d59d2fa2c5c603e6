package io.moescope.dashboard;

import com.vaadin.flow.component.combobox.ComboBox;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A run chooser over the newest runs, typed into to filter, labelled so that runs of one name can be told apart. */
public final class RunPicker {

    /** Runs offered; older ones are reached from the Runs list (which links here with the run chosen). */
    static final int OFFERED = 500;

    private RunPicker() {
    }

    /** @param preselect a run id to choose at once (from a link), when it is among the offered runs */
    public static ComboBox<RunSummary> of(RunCatalog catalog, String label, String id, Optional<String> preselect) {
        ComboBox<RunSummary> picker = new ComboBox<>(label);
        picker.setId(id);
        // Wide enough for a label's name, source and start; the id at its end may be cut (the list shows it whole).
        // Forms holding a chooser wrap their fields (setWrap), so a narrow window does not push buttons off-screen.
        picker.setWidth("32em");
        List<RunSummary> runs = catalog.newest(OFFERED);
        // A copy the picker may add to (choose): the catalog's list is read-only.
        picker.setItems(new ArrayList<>(runs));
        picker.setItemLabelGenerator(RunText::label);
        picker.setPlaceholder(runs.isEmpty() ? "no runs yet" : "choose a run");
        preselect.flatMap(run -> runs.stream().filter(r -> r.runId().equals(run)).findFirst())
                .ifPresent(picker::setValue);
        return picker;
    }

    /**
     * Chooses the run with this id (none for null). A run older than the offered ones (a rule's run) is added to
     * them; a run no longer stored stays chosen by its id, so that saving a form does not silently drop it.
     */
    public static void choose(ComboBox<RunSummary> picker, RunCatalog catalog, String runId) {
        if (runId == null) {
            picker.clear();
            return;
        }
        Optional<RunSummary> offered = picker.getListDataView().getItems().filter(r -> r.runId().equals(runId))
                .findFirst();
        RunSummary run = offered.or(() -> catalog.find(runId)).orElseGet(() -> goneRun(runId));
        if (offered.isEmpty()) {
            picker.getListDataView().addItem(run);
        }
        picker.setValue(run);
    }

    private static RunSummary goneRun(String runId) {
        return new RunSummary(runId, runId + ", no longer stored", null, null, null, null, 0, 0, 0, 0, 0, 0, null,
                null, null, 0, 0, null, null, null);
    }
}
