package io.moescope.platform.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShownSeriesTest {

    private static final Series EXPERT_1 = expert(1);
    private static final Series EXPERT_2 = expert(2);

    private static Series expert(int expert) {
        return new Series("moescope.expert.load.share", Tags.of("run", "r", "layer", "0", "expert", "" + expert));
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ShownSeries shown = new ShownSeries(registry);

    @Test
    void aSeriesShownAgainCarriesItsNewValue() {
        shown.show(Map.of(EXPERT_1, 0.5));
        shown.show(Map.of(EXPERT_1, 0.25));

        assertThat(registry.get("moescope.expert.load.share").tag("expert", "1").gauge().value()).isEqualTo(0.25);
    }

    @Test
    void aSeriesNoLongerShownIsRemovedFromTheRegistry() {
        shown.show(Map.of(EXPERT_1, 0.5, EXPERT_2, 0.25));
        shown.show(Map.of(EXPERT_2, 0.5));

        assertThat(registry.getMeters()).extracting(Meter::getId).extracting(id -> id.getTag("expert"))
                .containsExactly("2");
    }
}
