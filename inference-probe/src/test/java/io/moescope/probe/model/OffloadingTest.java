package io.moescope.probe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.run.Prompt;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.Sampling;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffloadingTest {

    private static final String BELADY_REFUSED = "--cache-policy BELADY needs the whole sequence in advance; the "
            + "probe's live cache supports LRU, LFU";

    @Test
    void offloadingRefusesBeladyNamingTheLivePolicies() {
        assertThatThrownBy(() -> new Offloading(2, CachePolicy.BELADY, access -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(BELADY_REFUSED);
    }

    @Test
    void probeRequestRefusesBeladyBeforeAnyModelIsLoaded() {
        assertThatThrownBy(() -> new ProbeRequest(Path.of("no-model"), List.of(new Prompt("r", "hi")), 1, "run", 2,
                CachePolicy.BELADY, Sampling.GREEDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(BELADY_REFUSED);
    }

    @Test
    void theLivePoliciesAreTheOnlineOnesOfTheSimulatedCache() {
        assertThat(Offloading.LIVE_POLICIES).containsExactly(CachePolicy.LRU, CachePolicy.LFU);
    }
}
