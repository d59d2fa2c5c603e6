package io.moescope.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpertCacheCodecTest {

    private final ExpertCacheCodec codec = new ExpertCacheCodec();

    @Test
    void aStepRoundTripsWithHitsMissesAndEvictions() {
        var step = new ExpertCacheStep("run", "req", 7, 1, 123L, 2, "LRU", List.of(
                new ExpertCacheStep.Access(0, 3, true, 0, 0, -1),
                new ExpertCacheStep.Access(1, 5, false, 98304, 41000, 2)));
        assertThat(codec.decode(codec.encode(step))).isEqualTo(step);
        assertThat(step.misses()).isEqualTo(1);
    }

    @Test
    void aTokenRoutingRecordIsNotMistakenForACacheStep() {
        byte[] routing = new EventCodec().encode(new TokenRouting("r", "q", 0, 1, Phase.DECODE, 1L, List.of()));
        assertThatThrownBy(() -> codec.decode(routing)).isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("not an expert cache step: ");
    }
}
