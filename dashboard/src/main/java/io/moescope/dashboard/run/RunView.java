package io.moescope.dashboard.run;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.QueryParameters;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import io.moescope.analytics.judgement.RoutingJudge;
import io.moescope.analytics.suite.SuiteOptions;
import io.moescope.dashboard.LiveRefresh;
import io.moescope.dashboard.MainLayout;
import io.moescope.dashboard.PhaseChoice;
import io.moescope.dashboard.RunText;
import io.moescope.dashboard.compare.CompareView;
import io.moescope.dashboard.placement.PlacementView;
import io.moescope.dashboard.runs.RunsView;
import io.moescope.dashboard.warmup.WarmupView;
import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.platform.alerts.AlertRuleService;
import io.moescope.platform.metrics.MetricSuiteService;
import io.moescope.platform.metrics.RunMetrics;
import io.moescope.platform.metrics.RunMetricsService;
import io.moescope.platform.metrics.SuiteAnswer;
import io.moescope.platform.metrics.TokenSet;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import io.moescope.platform.timeline.LoadTimeline;
import io.moescope.platform.tokens.StoredTokens;
import io.moescope.platform.tokens.TokenTexts;
import io.moescope.storage.routing.RunTokenReader;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One run: who it is, and how its router spread tokens over experts, per layer, refreshed while it arrives, and its
 * load over time where the minute rollups serve it; below, on request, what needs the raw decisions (sequences, the
 * time axis of a run too short for whole minutes, tokens). Read-only: open to viewers.
 */
@PermitAll
@Route(value = "runs/:runId", layout = MainLayout.class)
public class RunView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    public static final String RUN_ID = "runId";
    /** Time buckets of the scrubbable heatmap. */
    static final int TIME_BUCKETS = 20;
    /** Tokens a page of the token view holds: enough to read a passage, few enough for the page. */
    static final int TOKEN_VIEW_TOKENS = 400;

    private final RunCatalog catalog;
    private final RunMetricsService metricsService;
    private final AlertRuleService alertRules;
    private final MetricSuiteService suites;
    private final LoadTimeline timeline;
    private final StoredTokens storedTokens;
    private final TokenTexts tokenTexts;
    private final Div header = new Div();
    private final RadioButtonGroup<PhaseChoice> phase = PhaseChoice.selector("phase");
    private final Div body = new Div();
    private String runId = "";
    private String title = "Run";
    private RunSummary shown;
    private RunLoadPanel panel;
    private RunSequencePanel sequences;

    public RunView(RunCatalog catalog, RunMetricsService metricsService, AlertRuleService alertRules,
                   MetricSuiteService suites, LoadTimeline timeline, StoredTokens storedTokens,
                   TokenTexts tokenTexts) {
        this.catalog = catalog;
        this.metricsService = metricsService;
        this.alertRules = alertRules;
        this.suites = suites;
        this.timeline = timeline;
        this.storedTokens = storedTokens;
        this.tokenTexts = tokenTexts;
        phase.addValueChangeListener(change -> {
            if (change.isFromClient()) {
                render(shown);
                // the load over time from the rollups follows the phase; one from the raw rows waits for the button
                if (sequences != null) {
                    timeline.fromRollups(runId, change.getValue().phase(), TIME_BUCKETS)
                            .ifPresent(sequences::showTimeline);
                }
            }
        });
        body.setWidthFull();
        add(header, phase, body);
        LiveRefresh.whileAttached(this, this::refreshIfChanged);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        runId = event.getRouteParameters().get(RUN_ID).orElse("");
        phase.setValue(PhaseChoice.ALL);
        Optional<RunSummary> run = catalog.find(runId);
        title = run.map(RunText::name).orElse("Unknown run");
        shown = null;
        panel = null;
        sequences = null;
        render(run.orElse(null));
    }

    @Override
    public String getPageTitle() {
        return title;
    }


    /** A finished run never changes, and an arriving one shows up as new counts in its summary. */
    private void refreshIfChanged() {
        Optional<RunSummary> run = catalog.find(runId);
        if (!run.equals(Optional.ofNullable(shown))) {
            render(run.orElse(null));
        }
    }

    private void render(RunSummary run) {
        shown = run;
        header.removeAll();
        if (run == null) {
            phase.setVisible(false);
            showMessage("unknown-run", "There is no run with id '" + runId + "'. It may have been deleted, or the "
                    + "link may be mistyped.");
            body.add(new RouterLink("Back to all runs", RunsView.class));
            return;
        }
        header.add(new RunHeader(run), links());
        phase.setVisible(true);
        Optional<RunMetrics> metrics = metricsService.metrics(runId, phase.getValue().phase());
        if (metrics.isEmpty() || metrics.get().layers().isEmpty()) {
            showMessage("no-decisions", noDecisionsText(run));
        } else if (panel == null) {
            body.removeAll();
            panel = new RunLoadPanel(metrics.get(), rules());
            body.add(panel);
            addSequencePanel(metrics.get());
        } else {
            // Update in place: re-creating the charts would re-initialise ECharts and flicker on every poll.
            panel.update(metrics.get(), rules());
        }
    }

    /** Where to go next with this run: the analyses that live in their own views, the run already chosen. */
    private HorizontalLayout links() {
        QueryParameters thisRun = QueryParameters.of("run", runId);
        RouterLink warmup = new RouterLink("Cache warm-up", WarmupView.class);
        warmup.setQueryParameters(thisRun);
        RouterLink placement = new RouterLink("Placement advice", PlacementView.class);
        placement.setQueryParameters(thisRun);
        RouterLink compare = new RouterLink("Compare with another run", CompareView.class);
        compare.setQueryParameters(QueryParameters.of("a", runId));
        return new HorizontalLayout(warmup, placement, compare);
    }

    private RoutingJudge rules() {
        return new RoutingJudge(alertRules.rules(), runId);
    }

    /** Kept across phase changes and polls: an analysis in view should not vanish because a token arrived. */
    private void addSequencePanel(RunMetrics metrics) {
        if (sequences == null) {
            List<Integer> layers = metrics.layers().stream().map(l -> l.layer()).toList();
            String run = runId;
            sequences = new RunSequencePanel(layers, metrics.numExperts(), layer -> {
                Optional<Phase> chosenPhase = phase.getValue().phase();
                return () -> analyse(run, chosenPhase, layer);
            }, (layer, page) -> tokenPage(run, layer, page), suites.ready(run),
                    timeline.fromRollups(run, phase.getValue().phase(), TIME_BUCKETS));
        }
        body.add(sequences);
    }

    private RunSequencePanel.Analysis analyse(String run, Optional<Phase> chosenPhase, int layer) {
        var options = new SuiteOptions(OptionalInt.of(layer), SuiteOptions.DEFAULT_TAU, OptionalInt.empty(),
                SuiteOptions.DEFAULT_WINDOW);
        SuiteAnswer suite = suites.suite(TokenSet.wholeRun(run, chosenPhase), options)
                .orElseThrow(() -> new IllegalStateException("run " + run + " was deleted"));
        LoadTimeline.Timeline buckets = timeline.buckets(run, chosenPhase, TIME_BUCKETS)
                .orElse(new LoadTimeline.Timeline(LoadTimeline.Source.RAW_DECISIONS, List.of()));
        return new RunSequencePanel.Analysis(suite, buckets, tokenPage(run, layer, 0));
    }

    /**
     * Page {@code page} of the token view: the run's tokens in arrival order from {@code page x TOKEN_VIEW_TOKENS}
     * on. One more is read to know whether a next page exists.
     */
    private TokenView.Page tokenPage(String run, int layer, int page) {
        long skip = (long) page * TOKEN_VIEW_TOKENS;
        List<TokenRouting> read = storedTokens.withTokens(run, RunTokenReader.Order.ARRIVAL, iterator -> {
            var shown = new ArrayList<TokenRouting>();
            for (long i = 0; iterator.hasNext() && shown.size() <= TOKEN_VIEW_TOKENS; i++) {
                TokenRouting token = iterator.next();
                if (i >= skip) {
                    shown.add(token);
                }
            }
            return shown;
        });
        boolean more = read.size() > TOKEN_VIEW_TOKENS;
        List<TokenRouting> tokens = more ? read.subList(0, TOKEN_VIEW_TOKENS) : read;
        var texts = tokenTexts.of(run, tokens.stream().map(TokenRouting::tokenId).toList());
        return new TokenView.Page(page, TOKEN_VIEW_TOKENS, TokenExperts.at(tokens, layer, texts), more,
                page > 0 ? "No tokens on this page." : noTokensText(run));
    }

    /** Why the run's first page has no token: none arrived yet, or the run has counts instead of tokens. */
    private String noTokensText(String run) {
        long steps = storedTokens.countSteps(run);
        return steps == 0 ? "No stored tokens to show yet." : "This run is aggregate-only: its source counted the"
                + " experts chosen in each of its " + RunText.count(steps) + " steps without recording tokens, so"
                + " there is no token to show; its load figures above are the counts'.";
    }

    private String noDecisionsText(RunSummary run) {
        String which = phase.getValue() == PhaseChoice.ALL ? "" : " in the " + phase.getValue().label() + " phase";
        return RunText.isArriving(run)
                ? "No router decisions" + which + " yet. They appear here within seconds of arriving."
                : "This run recorded no router decisions" + which + ".";
    }

    private void showMessage(String id, String text) {
        panel = null;
        body.removeAll();
        Paragraph message = new Paragraph(text);
        message.setId(id);
        body.add(message);
    }
}
