package io.moescope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.traces.delivery.DeliveryStats;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.junit.jupiter.api.Test;

/** The probe's progress bar as the frames it draws. */
class ProbeProgressTest {

    /** The bar refreshes its token count every 16 tokens; the run's summary line counts all 21. */
    @Test
    void theBarsLastFrameCountsEveryTokenTheRunRouted() {
        var frames = new ArrayList<String>();
        try (var bar = new ProgressBarBuilder().setTaskName("probe").setInitialMax(1)
                .setConsumer(new DelegatingProgressBarConsumer(frames::add, 200)).build()) {
            var progress = new ProbeProgress(bar, () -> new DeliveryStats(21, 0, 0));
            for (int t = 0; t < 21; t++) {
                progress.tokenRouted(new TokenRouting("run", "q1", t, 100 + t, Phase.PREFILL, 0, List.of()));
            }
            progress.requestFinished("q1", 21, 0);
        }
        assertThat(frames.get(frames.size() - 1)).contains(" 21 tokens, ").endsWith(" events 21 sent, 0 spooled");
    }
}
