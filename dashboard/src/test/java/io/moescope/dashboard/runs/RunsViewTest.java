package io.moescope.dashboard.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.moescope.platform.alerts.RunHealthQuery;
import io.moescope.platform.runs.RunCatalog;
import io.moescope.platform.runs.RunSummary;
import org.junit.jupiter.api.Test;

class RunsViewTest {

    @Test
    void everySortableColumnSortsByAPropertyTheCatalogAccepts() {
        RunsView view = new RunsView(mock(RunCatalog.class), mock(RunHealthQuery.class));
        assertThat(view.sortProperties()).isNotEmpty().allSatisfy(p -> assertThat(RunSummary.SORTABLE).contains(p));
        assertThat(view.sortProperties()).contains("name", "tokens", "decisions", "status", "startedAt");
    }
}
