package io.moescope.probe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private static final float[] LOGITS = {0f, 3f, 2.9f, -1f, 1f};

    @Test
    void temperatureZeroIsGreedy() {
        assertThat(new Sampler(Sampling.GREEDY, "r").next(LOGITS)).isEqualTo(1);
    }

    @Test
    void theSameSeedAndRequestGiveTheSameTokens() {
        var sampling = new Sampling(1.0, 1.0, 7);
        assertThat(draws(new Sampler(sampling, "req-1"))).isEqualTo(draws(new Sampler(sampling, "req-1")));
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        // Token 1 and 2 carry ~0.66 of the mass at temperature 1; top-p 0.5 keeps both (the first alone is < 0.5).
        var sampler = new Sampler(new Sampling(1.0, 0.5, 3), "r");
        assertThat(draws(sampler)).containsOnly(1, 2).contains(1, 2);
    }

    private static int[] draws(Sampler sampler) {
        return IntStream.range(0, 200).map(i -> sampler.next(LOGITS)).toArray();
    }
}
