package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpertCountsCodecTest {

    private final ExpertCountsCodec codec = new ExpertCountsCodec();

    @Test
    void aStepRoundTripsWithItsLayersCounts() {
        var step = new ExpertCounts("run", 12, Phase.UNKNOWN, 1_700_000_000_000_000L, 3, List.of(
                new ExpertCounts.LayerCounts(1, new long[] {2, 0, 4, 0}),
                new ExpertCounts.LayerCounts(3, new long[] {1, 1, 1, 3})));
        assertThat(codec.decode(codec.encode(step))).isEqualTo(step);
    }

    @Test
    void aStepsDecisionsAreItsTokensAtEachLayer() {
        var step = new ExpertCounts("run", 0, Phase.PREFILL, 0, 3, List.of(
                new ExpertCounts.LayerCounts(1, new long[] {2, 0, 4, 0}),
                new ExpertCounts.LayerCounts(3, new long[] {1, 1, 1, 3})));
        assertThat(step.decisions()).isEqualTo(6);
        assertThat(step.layers().get(0).total()).isEqualTo(6);
    }

    @Test
    void aTokenRoutingRecordIsNotMistakenForCounts() {
        byte[] routing = new EventCodec().encode(new TokenRouting("r", "q", 0, 1, Phase.DECODE, 1L, List.of()));
        assertThatThrownBy(() -> codec.decode(routing)).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("not expert counts: ");
    }
}
