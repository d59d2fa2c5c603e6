package io.moescope.dashboard.run;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.theme.lumo.LumoUtility;
import io.moescope.dashboard.RunText;
import io.moescope.platform.runs.RunSummary;

/** A run's name, model identity and volume (and a tap run's responses by outcome), as one block of text. */
class RunHeader extends Div {

    RunHeader(RunSummary run) {
        setId("run-header");
        H2 name = new H2(RunText.name(run));
        name.addClassNames(LumoUtility.Margin.Bottom.XSMALL);
        add(name);
        String model = run.modelName() == null ? "" : run.modelName() + " - ";
        String parameters = RunText.parameters(run);
        add(line("run-model", model + RunText.shape(run) + (parameters.isEmpty() ? "" : " - " + parameters)));
        String finished = run.finishedAt() == null ? "" : ", finished " + RunText.time(run.finishedAt());
        add(line("run-volume", RunText.count(run.tokens()) + " tokens, " + RunText.count(run.decisions())
                + " router decisions - " + RunText.status(run) + " - " + RunText.source(run) + " - started "
                + RunText.time(run.startedAt())
                + finished));
        String responses = RunText.responses(run);
        if (!responses.isEmpty()) {
            add(line("run-responses", responses));
        }
    }

    private static Div line(String id, String text) {
        Div line = new Div(new Span(text));
        line.setId(id);
        line.addClassNames(LumoUtility.TextColor.SECONDARY);
        return line;
    }
}
