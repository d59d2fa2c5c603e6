package io.moescope.probe.bench;

import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.probe.run.RoutingSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Large generated inputs for scale checks: a vLLM FusedMoE-hook trace of any number of (token, layer) rows (32
 * layers, top-2 of 8, requests of 200 tokens, seeded), and a sink that keeps nothing but counts.
 */
final class HookTraces {

    static final int LAYERS = 32;
    static final int TOKENS_PER_REQUEST = 200;

    private HookTraces() {
    }

    static void generate(Path file, long rows) throws IOException {
        var random = new Random(42);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long row = 0;
            for (int request = 0; row < rows; request++) {
                for (int token = 0; token < TOKENS_PER_REQUEST && row < rows; token++) {
                    for (int layer = 0; layer < LAYERS && row < rows; layer++, row++) {
                        int a = random.nextInt(8);
                        int b = (a + 1 + random.nextInt(7)) % 8;
                        float w = 0.5f + random.nextInt(500) / 1000f;
                        out.write("{\"dataset\":\"bench\",\"problem_id\":" + request + ",\"layer\":" + layer
                                + ",\"token_idx\":" + token + ",\"experts\":[" + a + "," + b + "],\"gating_probs\":["
                                + w + "," + (1 - w) + "]}\n");
                    }
                }
            }
        }
    }

    /** Keeps nothing, counts tokens and decisions: scale checks measure the pipeline, not a store. */
    static final class CountingSink implements RoutingSink {
        long tokens;
        long decisions;

        @Override
        public void runStarted(RunLifecycle run) {
        }

        @Override
        public void token(TokenRouting token) {
            tokens++;
            decisions += token.decisions().size();
        }

        @Override
        public void runFinished(RunLifecycle run) {
        }

        @Override
        public void close() {
        }
    }
}
