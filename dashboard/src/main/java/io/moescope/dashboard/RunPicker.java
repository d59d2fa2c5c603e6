package io.moescope.dashboard;

import com.vaadin.flow.component.combobox.ComboBox;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
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
        picker.setWidth("40em");
        List<RunSummary> runs = catalog.newest(OFFERED);
        picker.setItems(runs);
        picker.setItemLabelGenerator(RunText::label);
        picker.setPlaceholder(runs.isEmpty() ? "no runs yet" : "choose a run");
        preselect.flatMap(run -> runs.stream().filter(r -> r.runId().equals(run)).findFirst())
                .ifPresent(picker::setValue);
        return picker;
    }
}
