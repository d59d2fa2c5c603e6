package io.moescope.dashboard;

import com.vaadin.flow.component.grid.Grid;

/**
 * Tables read whole. Vaadin gives every column 100 px and shares out what is left, which cut off headers ("Hit rate,
 * all tokens"), times and model shapes on a narrow window. Here a column without a fixed width is at least as wide
 * as its header and its widest shown cell (Vaadin's auto width, measured when the first rows arrive) and still grows
 * by its flex share to fill the grid; a grid wider than the page scrolls sideways rather than cutting text.
 */
public final class GridColumns {

    private GridColumns() {
    }

    /** Call once the grid's columns are added; columns of a fixed width (flex grow 0) keep it. */
    public static void fitToContent(Grid<?> grid) {
        grid.getColumns().stream().filter(column -> column.getFlexGrow() > 0)
                .forEach(column -> column.setAutoWidth(true));
    }
}
