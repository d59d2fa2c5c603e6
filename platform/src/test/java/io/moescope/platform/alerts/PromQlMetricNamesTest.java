package io.moescope.platform.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

    @Test
    void aSelectorWithMatchersIsItsMetricName() {
        assertThat(PromQlMetricNames.of("moescope_layer_max_vio{run=~\"$run\", layer!=\"0\"}"))
                .containsExactly("moescope_layer_max_vio");
    }

    @Test
    void functionsAggregationsLabelListsRangesAndNumbersAreNotMetricNames() {
        assertThat(PromQlMetricNames.of("sum by (engine) (rate(tap_total{outcome=\"captured\"}[5m])) / "
                + "sum without (outcome) (rate(tap_total[$__rate_interval])) > 1.5e3"))
                .containsExactly("tap_total");
    }

    @Test
    void bothSidesOfABinaryOperationWithVectorMatchingAreNamed() {
        assertThat(PromQlMetricNames.of("a > 1.0 or (a > 0.8 and on (run, layer) ALERTS{alertname=\"A\"})"))
                .containsExactly("ALERTS", "a");
    }

    @Test
    void topksParameterIsANumberAndItsVectorAName() {
        assertThat(PromQlMetricNames.of("topk(10, moescope_expert_load_share)"))
                .containsExactly("moescope_expert_load_share");
    }
}
