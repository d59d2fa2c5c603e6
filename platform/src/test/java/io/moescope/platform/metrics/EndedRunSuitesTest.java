package io.moescope.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.storage.suites.StoredSuites.DataVersion;
import io.moescope.storage.suites.StoredSuites.Due;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EndedRunSuitesTest {

    private static final Due BROKEN_100 = new Due("broken", new DataVersion(100, 800));
    private static final Due BROKEN_120 = new Due("broken", new DataVersion(120, 960));
    private static final Due HEALTHY = new Due("healthy", new DataVersion(10, 80));

    private final AtomicReference<List<Due>> due = new AtomicReference<>(List.of());
    private final List<String> computed = new ArrayList<>();
    private final EndedRunSuites suites = new EndedRunSuites(due::get, runId -> {
        computed.add(runId);
        if (runId.equals("broken")) {
            throw new IllegalStateException("cannot compute " + runId);
        }
    });

    @Test
    void aRunThatFailedIsNotTriedAgainWhileItsDataIsUnchanged() {
        due.set(List.of(BROKEN_100, HEALTHY));

        assertThat(suites.storeDue()).isEqualTo(1);
        assertThat(suites.storeDue()).isEqualTo(1);

        assertThat(computed).containsExactly("broken", "healthy", "healthy");
    }

    @Test
    void aRunThatFailedIsTriedAgainOnceItsDataChanges() {
        due.set(List.of(BROKEN_100));
        suites.storeDue();

        due.set(List.of(BROKEN_120));
        suites.storeDue();

        assertThat(computed).containsExactly("broken", "broken");
    }

    @Test
    void aFailedRunNoLongerDueIsForgotten() {
        due.set(List.of(BROKEN_100));
        suites.storeDue();
        assertThat(suites.failedRuns()).isEqualTo(1);

        due.set(List.of(BROKEN_120));
        suites.storeDue();
        assertThat(suites.failedRuns()).isEqualTo(1);

        due.set(List.of());
        suites.storeDue();
        assertThat(suites.failedRuns()).isZero();
    }
}
