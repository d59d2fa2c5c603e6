package io.moescope.dashboard.imports;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextField;
import io.moescope.dashboard.LiveRefresh;
import io.moescope.platform.replay.ReplayService;
import io.moescope.platform.replay.ReplayStatus;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import java.util.Optional;

/** Replay a stored run through Kafka at speed X as a new run, with progress and a Cancel button. */
class ReplayPanel extends VerticalLayout {

    /** Runs searched by name: the newest ones, which is what a person replays. */
    private static final int NAME_SEARCH_LIMIT = 1000;

    private final ReplayService replays;
    private final RunCatalog runs;
    private final TextField run = new TextField("Run (name or id)");
    private final NumberField speed = new NumberField("Speed (x original pace, 0 = as fast as possible)");
    private final Button start = new Button("Replay");
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar();
    private final Span status = new Span();
    private String replayId;

    ReplayPanel(ReplayService replays, RunCatalog runs) {
        this.replays = replays;
        this.runs = runs;
        setPadding(false);
        run.setId("replay-run");
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
        controls.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(new H3("Replay a stored run"), controls, progress, status);
        LiveRefresh.whileAttached(this, this::refresh);
    }

    private void start() {
        Optional<RunSummary> source = find(run.getValue().strip());
        if (source.isEmpty()) {
            status.setText("no run with id or name '" + run.getValue().strip() + "'");
            return;
        }
        double x = speed.getValue() == null ? 1 : speed.getValue();
        try {
            replays.start(source.get().runId(), x).ifPresent(this::show);
        } catch (IllegalArgumentException e) {
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

    private Optional<RunSummary> find(String nameOrId) {
        return runs.find(nameOrId).or(() -> runs.newest(NAME_SEARCH_LIMIT).stream()
                .filter(r -> r.name().equals(nameOrId)).findFirst());
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
