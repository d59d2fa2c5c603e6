package io.moescope.platform;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.traces.delivery.KafkaRoutingSink;
import java.util.List;
import java.util.UUID;

/**
 * A collapsed router, streamed through Kafka as a probe would: every token of the run goes to experts 0 and 1 of
 * 8 at its only layer, 0. Its live window: dead experts 6, MaxVio 3 (max 200 vs mean 400 / 8 = 50), normalised
 * entropy ln 2 / ln 8 = 1/3.
 */
public final class CollapsingWorkload {

    public static final int TOKENS = 200;
    public static final ModelIdentity ONE_LAYER_OF_8 =
            new ModelIdentity("collapse", "MixtralForCausalLM", 8, 2, 1, List.of(0), 1, 1);

    private CollapsingWorkload() {
    }

    /** Streams a new run's STARTED event and its {@value #TOKENS} tokens; @return the new run's id */
    public static String stream(String bootstrapServers) {
        String runId = "collapse-" + UUID.randomUUID();
        try (var sink = new KafkaRoutingSink(bootstrapServers)) {
            sink.runStarted(started(runId));
            for (int t = 0; t < TOKENS; t++) {
                sink.token(token(runId, t));
            }
        }
        return runId;
    }

    public static RunLifecycle started(String runId) {
        return new RunLifecycle(runId, "collapse", RunStatus.STARTED, micros(), "probe", ONE_LAYER_OF_8, 0);
    }

    public static RunLifecycle finished(String runId, int tokens) {
        return new RunLifecycle(runId, "collapse", RunStatus.FINISHED, micros(), "probe", ONE_LAYER_OF_8, tokens);
    }

    /** Token {@code index}, routed to experts 0 and 1 at layer 0. */
    public static TokenRouting token(String runId, int index) {
        return new TokenRouting(runId, "r1", index, 5, Phase.DECODE, micros(),
                List.of(new RouterDecision(0, new int[] {0, 1}, new float[] {0.6f, 0.4f}, 0.7f)));
    }

    private static long micros() {
        return System.currentTimeMillis() * 1000;
    }
}
