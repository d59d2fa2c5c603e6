package io.moescope.dashboard.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Input;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.moescope.analytics.suite.MetricSuite;
import io.moescope.analytics.summary.LayerLoadMetrics;
import io.moescope.dashboard.RunText;
import io.moescope.dashboard.charts.EChart;
import io.moescope.dashboard.charts.ExpertLoadHeatmap;
import io.moescope.dashboard.charts.MatrixHeatmapOption;
import io.moescope.platform.metrics.SuiteAnswer;
import io.moescope.platform.timeline.LoadTimeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What needs the raw decisions, not the rollups, so it is computed on request (one pass over the run, with a
 * progress indicator) rather than on opening the run: each layer's verdict with the 95 % intervals of its figures,
 * routing consistency per layer, co-activation at a chosen layer, the load heatmap per time bucket with a slider,
 * and the token view. Where the run's default suite is ready (an ended run's stored one; a live run's latest
 * background round, which opening the page asks for), its figures show at once; so does the load over time where
 * the hour or minute rollups serve it (a run whose span touches at least as many minutes as buckets). The token
 * view, and the load over time of a shorter run, wait for the button.
 */
class RunSequencePanel extends VerticalLayout {

    /** What one analysis produced; {@code tokens} is the token view's first page. */
    record Analysis(SuiteAnswer suite, LoadTimeline.Timeline timeline, TokenView.Page tokens) {
    }

    private final Select<Integer> layer = new Select<>();
    private final Button analyse = new Button("Analyse sequences");
    private final ProgressBar progress = new ProgressBar();
    private final Paragraph status = new Paragraph();
    private final Div results = new Div();
    private final Div timeline = new Div();
    private final Div tokens = new Div();
    private final Function<Integer, Supplier<Analysis>> analysis;
    private final BiFunction<Integer, Integer, TokenView.Page> tokenPages;
    private final int numExperts;

    /**
     * @param analysis given the detail layer (on the UI thread, so it may read the view's choices), the work of
     *                 the analysis, which runs off the UI thread
     * @param tokenPages given the detail layer and a page index, that page of the token view
     * @param ready      the run's default suite ready without computing (an ended run's stored one, a live run's
     *                   latest background round), shown at once; empty when the run has none current
     * @param rolledUp   the run's load over time from the rollups, shown at once; empty where only the raw
     *                   decisions cut the run finely enough
     */
    RunSequencePanel(List<Integer> layers, int numExperts, Function<Integer, Supplier<Analysis>> analysis,
                     BiFunction<Integer, Integer, TokenView.Page> tokenPages, Optional<SuiteAnswer> ready,
                     Optional<LoadTimeline.Timeline> rolledUp) {
        this.analysis = analysis;
        this.tokenPages = tokenPages;
        this.numExperts = numExperts;
        setPadding(false);
        setId("sequence-panel");
        layer.setLabel("Layer for co-activation and the token view");
        layer.setId("detail-layer");
        layer.setWidth("24em");
        layer.setItems(layers);
        layer.setValue(layers.get(0));
        analyse.setId("analyse");
        analyse.addClickListener(click -> start());
        progress.setIndeterminate(true);
        progress.setVisible(false);
        status.setId("sequence-status");
        // what still needs the raw decisions after the rollups' and the ready suite's figures
        String waiting = rolledUp.isPresent() ? "the token view" : "the load over time and the token view";
        status.setText("Verdicts with their 95 % intervals, routing consistency, co-activation"
                + (rolledUp.isPresent() ? " and " : ", ") + waiting + " read every stored decision of the run: press"
                + " \"Analyse sequences\" to compute them.");
        results.setWidthFull();
        timeline.setWidthFull();
        tokens.setWidthFull();
        HorizontalLayout controls = new HorizontalLayout(layer, analyse);
        controls.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(new H3("Sequences and time"), controls, progress, status, results, timeline, tokens);
        ready.ifPresent(answer -> {
            showSuite(answer);
            status.setText(status.getText() + " Press \"Analyse sequences\" for " + waiting + ".");
        });
        rolledUp.ifPresent(this::showTimeline);
    }

    private void start() {
        UI ui = UI.getCurrent();
        int chosen = layer.getValue();
        analyse.setEnabled(false);
        progress.setVisible(true);
        status.setText("Reading the run's decisions...");
        CompletableFuture.supplyAsync(analysis.apply(chosen)).whenComplete((result, error) -> ui.access(() -> {
            analyse.setEnabled(true);
            progress.setVisible(false);
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                status.setText("The analysis failed: " + cause.getMessage());
            } else {
                show(result, chosen);
            }
        }));
    }

    private void show(Analysis result, int chosen) {
        showSuite(result.suite());
        showTimeline(result.timeline());
        tokens.removeAll();
        tokens.add(new TokenView(result.tokens(), chosen, page -> tokenPages.apply(chosen, page)));
    }

    /** The load over time in place of the one shown: the analysis's, or the rollups' again for another phase. */
    void showTimeline(LoadTimeline.Timeline shown) {
        timeline.removeAll();
        timeline.add(timelineBox(shown));
    }

    /** The suite's figures, and in the status line where they come from. */
    private void showSuite(SuiteAnswer answer) {
        results.removeAll();
        MetricSuite suite = answer.suite();
        SuiteAnswer.Computation computed = answer.computed();
        status.setText((computed.stored() ? "Stored analysis of " : "Analysed ") + RunText.count(suite.tokens())
                + " tokens (" + suite.tokenSet() + "), computed " + RunText.time(computed.at()) + " over the "
                + RunText.count(computed.runDecisions()) + " decisions the run held then.");
        results.add(evidence(suite));
        if (SequenceOptions.noConsistency(suite)) {
            // The suite's reason: no consecutive pair yet, or requests that cannot be told apart at all.
            results.add(new Paragraph("Routing consistency is undefined: " + suite.modelConsistency().reason()));
        } else {
            EChart consistency = new EChart(SequenceOptions.consistency(suite), "360px");
            consistency.setId("consistency-chart");
            results.add(consistency);
        }
        if (suite.coActivation().value() == null) {
            results.add(new Paragraph("No co-activation at layer " + suite.detailLayer() + ": "
                    + suite.coActivation().reason()));
        } else {
            MatrixHeatmapOption co = SequenceOptions.coActivation(suite.coActivation().value(), suite.tokenSet());
            EChart coChart = new EChart(co.toOption(), co.suggestedHeight());
            coChart.setId("coactivation-heatmap");
            results.add(coChart);
        }
    }

    /** Each layer's verdict and load figures with the intervals that say whether a breach is evidence or noise. */
    private static Div evidence(MetricSuite suite) {
        Div box = new Div();
        box.setId("evidence");
        box.setWidthFull();
        Paragraph model = new Paragraph(LayerEvidenceRows.modelLine(suite.model()));
        model.setId("model-evidence");
        box.add(new H3("Verdicts and their evidence"), new Paragraph("Each figure over " + suite.tokenSet()
                + " with its 95 % interval [low, high], where it would lie over another sample of the same kind; a "
                + "dash means no interval, and hovering the figure says why. A figure past a rule's threshold is "
                + "evidence only where a balanced router would not show it at as many decisions: otherwise the "
                + "verdict says too few to tell."), model,
                new LayerEvidenceTable(LayerEvidenceRows.of(suite.layers())));
        return box;
    }

    /** The heatmap of one time bucket, chosen with a slider (a native range input, scrubbed live). */
    private Div timelineBox(LoadTimeline.Timeline shown) {
        List<LoadTimeline.Bucket> buckets = shown.buckets();
        Div box = new Div();
        box.setId("timeline");
        box.setWidthFull();
        box.add(new H3("Load over time"));
        if (buckets.isEmpty()) {
            box.add(new Paragraph("No stored decisions to put on a time axis yet."));
            return box;
        }
        Input slider = new Input();
        slider.setType("range");
        slider.setId("time-slider");
        slider.getElement().setAttribute("min", "0");
        slider.getElement().setAttribute("max", String.valueOf(buckets.size() - 1));
        slider.getElement().setAttribute("step", "1");
        slider.setValue("0");
        slider.setWidth("100%");
        Span label = new Span();
        label.setId("time-bucket");
        EChart chart = new EChart(bucketOption(shown, 0), "420px");
        chart.setId("timeline-heatmap");
        slider.addValueChangeListener(change -> {
            int b = Integer.parseInt(change.getValue());
            chart.setOption(bucketOption(shown, b));
            label.setText(bucketLabel(shown, b));
        });
        // "input" fires while dragging, so the heatmap follows the thumb; the value syncs on each.
        slider.setValueChangeMode(ValueChangeMode.EAGER);
        label.setText(bucketLabel(shown, 0));
        box.add(new Paragraph("Drag the slider to scrub through the run: the heatmap shows the load share of each "
                + "time bucket alone. " + (shown.source().rolledUp()
                ? "The buckets are whole UTC " + (shown.source() == LoadTimeline.Source.HOUR_ROLLUPS
                ? "hours" : "minutes") + ", counted in the rollups."
                : "The run is too short for buckets of whole minutes: they are equal parts of its span, counted from"
                + " its stored decisions.")), slider, label, chart);
        return box;
    }

    private ObjectNode bucketOption(LoadTimeline.Timeline shown, int b) {
        LoadTimeline.Bucket bucket = shown.buckets().get(b);
        List<LayerLoadMetrics> layers = bucket.loads().stream().filter(l -> l.total() > 0).map(LayerLoadMetrics::of)
                .toList();
        return ExpertLoadHeatmap.builder().setNumExperts(numExperts).setLayers(layers)
                .optTitle("Load share in time bucket " + (b + 1) + " of " + shown.buckets().size())
                .optSubtitle(span(shown, bucket)).build().toOption();
    }

    /**
     * Buckets of whole hours or minutes by their times; those of a short run by offsets from the first routed token,
     * as they are fractions of a second.
     */
    private static String span(LoadTimeline.Timeline shown, LoadTimeline.Bucket bucket) {
        if (shown.source().rolledUp()) {
            return RunText.time(bucket.from()) + " to " + RunText.time(bucket.to());
        }
        Instant start = shown.buckets().get(0).from();
        return String.format(Locale.ROOT, "%.3f s to %.3f s after the first routed token (%s)",
                Duration.between(start, bucket.from()).toNanos() / 1e9,
                Duration.between(start, bucket.to()).toNanos() / 1e9, RunText.time(start));
    }

    private static String bucketLabel(LoadTimeline.Timeline shown, int b) {
        LoadTimeline.Bucket bucket = shown.buckets().get(b);
        boolean empty = bucket.loads().stream().allMatch(l -> l.total() == 0);
        return "Bucket " + (b + 1) + " of " + shown.buckets().size() + ": " + span(shown, bucket)
                + (empty ? " (no routing in this bucket)" : "");
    }
}
