package io.moescope.benchmarks.speed;

import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.model.EngineThreads;
import io.moescope.probe.model.ForwardResult;
import io.moescope.probe.model.MoeModel;
import io.moescope.probe.model.Sequence;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Prefill and decode speed of the probe's forward pass, as Hugging Face transformers' is usually measured: one prompt
 * of a given length, greedy, a fixed number of new tokens, no capture, after one warm-up repeat (whose prefill, the
 * model's first forward pass, is reported apart); then the
 * same steps' matrix multiplications done bare ({@link MatmulFloor}), in the same process and thread count, as the
 * floor the forward pass is judged against on a machine whose load moves between runs.
 *
 * <p>The prompt is seeded token ids over the model's vocabulary (speed does not depend on which), so any checkpoint
 * runs without its tokenizer.
 */
public final class SpeedBench {

    private static final long PROMPT_SEED = 20;

    private final int promptTokens;
    private final int newTokens;
    private final int repeats;

    /**
     * @param promptTokens tokens of the prefill step, at least 1
     * @param newTokens    decode steps per repeat, at least 1
     * @param repeats      timed repeats, at least 1; medians are taken over them
     */
    public SpeedBench(int promptTokens, int newTokens, int repeats) {
        if (promptTokens < 1 || newTokens < 1 || repeats < 1) {
            throw new IllegalArgumentException("prompt tokens, new tokens and repeats must be at least 1 but were "
                    + promptTokens + ", " + newTokens + " and " + repeats);
        }
        this.promptTokens = promptTokens;
        this.newTokens = newTokens;
        this.repeats = repeats;
    }

    /** Loads the checkpoint with {@code threads} intra-op threads, times its steps, then their floor. */
    public SpeedReport run(Path checkpointDir, int threads) throws IOException {
        int actual = EngineThreads.setIntraOp(threads);
        double loadBefore = load();
        MoeConfig config;
        StepTime cold = null;
        var prefills = new ArrayList<StepTime>();
        var decodes = new ArrayList<StepTime>();
        try (var checkpoint = MoeCheckpoint.open(checkpointDir); var model = MoeModel.load(checkpoint)) {
            config = model.config();
            if (promptTokens + newTokens > config.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("prompt tokens + new tokens (" + (promptTokens + newTokens)
                        + ") exceed the model's max_position_embeddings " + config.maxPositionEmbeddings());
            }
            int[] prompt = new Random(PROMPT_SEED).ints(promptTokens, 0, config.vocabSize()).toArray();
            for (int r = 0; r <= repeats; r++) {
                try (Sequence sequence = model.newSequence()) {
                    ForwardResult[] last = new ForwardResult[1];
                    StepTime prefill = StepTime.of(() -> last[0] = sequence.forward(prompt, false));
                    StepTime decode = StepTime.of(() -> {
                        for (int t = 0; t < newTokens; t++) {
                            last[0] = sequence.forward(new int[] {last[0].argmax()}, false);
                        }
                    }).per(newTokens);
                    if (r == 0) {
                        cold = prefill;
                    } else {
                        prefills.add(prefill);
                        decodes.add(decode);
                    }
                }
            }
        }
        Optional<MatmulFloor> floor = MatmulFloor.of(config);
        StepTime floorPrefill = null;
        StepTime floorDecode = null;
        if (floor.isPresent()) {
            try (MatmulFloor f = floor.get()) {
                floorPrefill = best(f, promptTokens);
                floorDecode = best(f, 1);
            }
        }
        return new SpeedReport(actual, promptTokens, newTokens, cold, StepTime.median(prefills),
                StepTime.median(decodes), floorPrefill, floorDecode, loadBefore, load());
    }

    /** The fastest of the repeats after one warm-up, wall and CPU each: a floor is the best the engine can do. */
    private StepTime best(MatmulFloor floor, int tokens) {
        floor.step(tokens);
        List<StepTime> times = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            times.add(floor.step(tokens));
        }
        return new StepTime(times.stream().mapToDouble(StepTime::wallSeconds).min().orElseThrow(),
                times.stream().mapToDouble(StepTime::cpuSeconds).min().orElseThrow());
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
