package io.moescope.cli;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.TokenRouting;
import io.moescope.traces.delivery.DeliveryStats;
import io.moescope.probe.run.ProbeListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;

/** Requests done on the bar; tokens per second and events sent / spooled beside it. */
final class ProbeProgress implements ProbeListener {

    private final ProgressBar bar;
    private final Supplier<DeliveryStats> delivery;
    private final long startNanos = System.nanoTime();
    private long tokens;
    private long prefillNanos;
    private final List<Long> decodeNanos = new ArrayList<>();

    ProbeProgress(ProgressBar bar, Supplier<DeliveryStats> delivery) {
        this.bar = bar;
        this.delivery = delivery;
    }

    @Override
    public void modelLoaded(ModelIdentity model) {
        bar.setExtraMessage(model.architecture() + " " + model.numExperts() + "x top-" + model.topK());
    }

    @Override
    public void tokenRouted(TokenRouting token) {
        tokens++;
        if (tokens % 16 == 0) {
            showTokens();
        }
    }

    private void showTokens() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        DeliveryStats d = delivery.get();
        bar.setExtraMessage(String.format("%d tokens, %.0f tokens/s, events %d sent, %d spooled", tokens,
                tokens / seconds, d.sent(), d.spooled()));
    }

    @Override
    public void stepTimed(String requestId, Phase phase, int stepTokens, long nanos) {
        if (phase == Phase.PREFILL) {
            prefillNanos += nanos;
        } else {
            decodeNanos.add(nanos);
        }
    }

    /** Prefill time in total and the decode steps' median and slowest time. */
    String timings() {
        var sorted = decodeNanos.stream().sorted().toList();
        return sorted.isEmpty() ? String.format("prefill %.1f ms, no decode steps", prefillNanos / 1e6)
                : String.format("prefill %.1f ms in total; %d decode steps: median %.2f ms, slowest %.2f ms",
                        prefillNanos / 1e6, sorted.size(), sorted.get(sorted.size() / 2) / 1e6,
                        sorted.get(sorted.size() - 1) / 1e6);
    }

    @Override
    public void requestFinished(String requestId, int promptTokens, int generatedTokens) {
        // the bar's last frame is drawn after the last request: it must count every token, as the summary does
        showTokens();
        bar.step();
    }
}
