package io.moescope.dashboard;

import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import io.moescope.events.Phase;
import java.util.Optional;

/** Which tokens a view covers: all together, or one phase (unknown: traces that cannot tell, docs/importing.md). */
public enum PhaseChoice {
    ALL("all tokens", null), PREFILL("prefill", Phase.PREFILL), DECODE("decode", Phase.DECODE),
    UNKNOWN("phase unknown", Phase.UNKNOWN);

    private final String label;
    private final Phase phase;

    PhaseChoice(String label, Phase phase) {
        this.label = label;
        this.phase = phase;
    }

    public String label() {
        return label;
    }

    public Optional<Phase> phase() {
        return Optional.ofNullable(phase);
    }

    /** The selector every view uses, set to all tokens. */
    public static RadioButtonGroup<PhaseChoice> selector(String id) {
        RadioButtonGroup<PhaseChoice> group = new RadioButtonGroup<>("Tokens");
        group.setId(id);
        group.setItems(values());
        group.setItemLabelGenerator(PhaseChoice::label);
        group.setValue(ALL);
        return group;
    }
}
