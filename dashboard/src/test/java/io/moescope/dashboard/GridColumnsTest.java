package io.moescope.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.grid.Grid;
import org.junit.jupiter.api.Test;

class GridColumnsTest {

    @Test
    void aColumnThatGrowsFitsItsContentAndAFixedOneKeepsItsWidth() {
        Grid<String> grid = new Grid<>();
        Grid.Column<String> text = grid.addColumn(s -> s).setHeader("Hit rate, all tokens");
        Grid.Column<String> fixed = grid.addColumn(s -> s).setHeader("Tokens").setWidth("120px").setFlexGrow(0);

        GridColumns.fitToContent(grid);

        assertThat(text.isAutoWidth()).isTrue();
        assertThat(text.getFlexGrow()).isEqualTo(1);
        assertThat(fixed.isAutoWidth()).isFalse();
        assertThat(fixed.getWidth()).isEqualTo("120px");
    }
}
