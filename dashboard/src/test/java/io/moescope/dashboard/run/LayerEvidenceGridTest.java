package io.moescope.dashboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.grid.Grid;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerEvidenceGridTest {

    @Test
    void theVerdictAndItsSampleComeBeforeEveryFigureAndTheIntervalsNoteLast() {
        var grid = new LayerEvidenceGrid(List.of());

        assertThat(grid.getColumns()).extracting(Grid.Column::getHeaderText).containsExactly("Layer", "Verdict",
                "Why", "Tokens", "Decisions", "MaxVio", "CV", "Gini", "Normalised entropy", "Effective experts",
                "Dead experts", "Dominant share", "Min share", "95 % intervals");
    }
}
