package io.moescope.analytics.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.analytics.evidence.Defined;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunComparisonTest {

    private static final List<RunComparison.Layer> LAYERS = List.of(
            new RunComparison.Layer(0, Defined.of(0.1), Defined.of(0.25), Defined.of(0.5), Map.of()),
            new RunComparison.Layer(1, Defined.of(0.3), Defined.of(0.5), Defined.of(0.75), Map.of()));

    @Test
    void theTopKOverlapOfTwoRunsWithSeparableRequestsIsTheMeanOverLayers() {
        var model = RunComparison.Model.of(LAYERS, RequestSeparation.SEPARABLE, Map.of());

        assertThat(model.topKOverlap().value().mean()).isEqualTo(0.625);
        assertThat(model.jsdBits().value().mean()).isEqualTo(0.375);
    }

    @Test
    void theTopKOverlapIsNullWithTheReasonWhenOneRunsRequestsCannotBeToldApart() {
        var separation = RequestSeparation.ofPair("a", RequestSeparation.SEPARABLE, "b",
                RequestSeparation.of("one req_id for every prompt"));

        var model = RunComparison.Model.of(LAYERS, separation, Map.of());

        assertThat(model.topKOverlap())
                .isEqualTo(Defined.undefined("requests cannot be told apart: run b: one req_id for every prompt"));
        assertThat(model.jsdBits().value().mean()).isEqualTo(0.375);
    }

    @Test
    void aPairOfRunsWhoseRequestsCannotBeToldApartNamesBoth() {
        var separation = RequestSeparation.ofPair("a", RequestSeparation.of("x"), "b", RequestSeparation.of("y"));

        assertThat(separation.notSeparableBecause()).isEqualTo("run a: x; run b: y");
    }
}
