package io.moescope.platform;

import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.probe.run.ProbeListener;
import io.moescope.probe.run.ProbeRequest;
import io.moescope.probe.run.ProbeResult;
import io.moescope.probe.run.ProbeRunner;
import io.moescope.probe.run.Prompt;
import io.moescope.traces.RoutingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The demo model probed as {@code ./moescope probe --expert-cache 2} (LRU) does it: two prompts, 8 new tokens each,
 * every expert-cache step sent to the platform's Kafka next to the routing.
 */
public final class OffloadedProbe {

    public static final int CACHE_SIZE = 2;

    private OffloadedProbe() {
    }

    /** @param tap wraps the Kafka sink, e.g. to keep a copy of what was sent */
    public static ProbeResult run(String bootstrapServers, UnaryOperator<RoutingSink> tap) throws Exception {
        Path model = Files.createTempDirectory("moescope-offloaded-model");
        new DemoCheckpointWriter(DemoModelSpec.defaults()).write(model, (done, total) -> { });
        var prompts = List.of(new Prompt("req-1", "Which expert takes this token?"), new Prompt("req-2", "MoE!"));
        try (var kafka = new KafkaRoutingSink(bootstrapServers)) {
            return new ProbeRunner(Clock.systemUTC()).run(new ProbeRequest(model, prompts, 8, "offloaded", CACHE_SIZE,
                    CachePolicy.LRU), tap.apply(kafka), ProbeListener.NONE);
        }
    }
}
