package io.moescope.dashboard.imports;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.NumberField;
import io.moescope.dashboard.LiveRefresh;
import io.moescope.dashboard.RunPicker;
import io.moescope.platform.replay.ReplayService;
import io.moescope.platform.replay.ReplayStatus;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import io.moescope.platform.tokens.AggregateOnlyRunException;
import java.util.Optional;

/** Replay a stored run through Kafka at speed X as a new run, with progress and a Cancel button. */
class ReplayPanel extends VerticalLayout {

    private final ReplayService replays;
    private final ComboBox<RunSummary> run;
    private final NumberField speed = new NumberField("Speed (x original pace, 0 = as fast as possible)");
    private final Button start = new Button("Replay");
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar();
    private final Span status = new Span();
    private String replayId;

    ReplayPanel(ReplayService replays, RunCatalog runs) {
        this.replays = replays;
        // A run is chosen, not typed: runs of one name (every demo run) were told apart only by their ids.
        run = RunPicker.of(runs, "Run", "replay-run", Optional.empty());
        setPadding(false);
        speed.setId("replay-speed");
        speed.setValue(1.0);
        speed.setMin(0);
        speed.setWidth("22em");
        start.setId("replay-start");
        start.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        start.addClickListener(click -> start());
        cancel.setId("replay-cancel");
        cancel.setEnabled(false);
        cancel.addClickListener(click -> cancel());
        progress.setId("replay-progress");
        progress.setVisible(false);
        status.setId("replay-status");
        var controls = new HorizontalLayout(run, speed, start, cancel);
        controls.setWrap(true);
        controls.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(new H3("Replay a stored run"), controls, progress, status);
        LiveRefresh.whileAttached(this, this::refresh);
    }

    private void start() {
        if (run.isEmpty()) {
            status.setText("choose the run to replay");
            return;
        }
        double x = speed.getValue() == null ? 1 : speed.getValue();
        try {
            replays.start(run.getValue().runId(), x).ifPresent(this::show);
        } catch (IllegalArgumentException | AggregateOnlyRunException e) {
            status.setText(e.getMessage());
        }
    }

    private void cancel() {
        if (replayId != null) {
            replays.cancel(replayId).ifPresent(this::show);
        }
    }

    private void refresh() {
        if (replayId != null) {
            replays.status(replayId).ifPresent(this::show);
        }
    }

    private void show(ReplayStatus s) {
        boolean running = s.state().equals("RUNNING");
        replayId = running ? s.replayId() : null;
        start.setEnabled(!running);
        cancel.setEnabled(running);
        progress.setVisible(running);
        progress.setValue(s.tokensTotal() == 0 ? 0 : Math.min(1, (double) s.tokensSent() / s.tokensTotal()));
        status.setText(String.format("replay %s: %s, %,d of %,d tokens sent to run %s%s", s.replayId(), s.state(),
                s.tokensSent(), s.tokensTotal(), s.runId(), s.error() == null ? "" : " (" + s.error() + ")"));
    }
}
