package io.moescope.platform.alerts;

import io.moescope.analytics.alerting.WindowedLoads;
import io.moescope.analytics.load.ExpertLoad;
import io.moescope.platform.metrics.RolledUpLoads;
import io.moescope.storage.runs.RunShapes;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streamed windows of live runs, with each layer's counts padded to the run's N: the stream only knows the
 * largest expert id it saw, and experts above it were chosen 0 times (exactly what dead-expert counting needs).
 */
public class LiveLoads {

    private final WindowedLoads windows;
    private final RolledUpLoads runs;
    private final Map<String, Integer> numExpertsByRun = new ConcurrentHashMap<>();

    LiveLoads(WindowedLoads windows, RolledUpLoads runs) {
        this.windows = windows;
        this.runs = runs;
    }

    public Set<String> runs() {
        return windows.runs();
    }

    /** @return empty while the run's model (N) is not stored yet */
    public Optional<List<ExpertLoad>> since(String run, Instant from) {
        Integer n = numExpertsByRun.computeIfAbsent(run,
                r -> runs.shape(r).map(RunShapes.Shape::numExperts).orElse(null));
        if (n == null) {
            return Optional.empty();
        }
        return Optional.of(windows.loads(run, from).stream().map(l -> l.numExperts() >= n ? l
                : new ExpertLoad(l.layer(), Arrays.copyOf(l.counts(), n))).toList());
    }

    public void evictBefore(Instant cutoff) {
        windows.evictBefore(cutoff);
        numExpertsByRun.keySet().retainAll(windows.runs());
    }
}
