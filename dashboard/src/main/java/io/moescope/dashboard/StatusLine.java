package io.moescope.dashboard;

import com.vaadin.flow.component.html.Paragraph;

/** A view's one line of guidance: what to do next (info) or what went wrong (error, in the error colour). */
public class StatusLine extends Paragraph {

    public StatusLine(String id) {
        setId(id);
    }

    public void info(String text) {
        getStyle().remove("color");
        setText(text);
    }

    public void error(String text) {
        getStyle().set("color", "var(--lumo-error-text-color)");
        setText(text);
    }
}
