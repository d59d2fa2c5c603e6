package io.moescope.cli;

import io.moescope.probe.demo.DemoShape;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo-model", mixinStandardHelpOptions = true,
        description = {"Write a small deterministic Mixtral-format checkpoint (config.json, model.safetensors, "
            + "tokenizer.json) with seeded random weights, or with --shape another generated shape.",
            "It is NOT a trained model: its text is gibberish, but its router makes real decisions."})
final class DemoModelCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into.")
    private Path out;

    @Option(names = "--shape", defaultValue = "demo", paramLabel = "SHAPE",
            description = "demo (default), olmoe-like, gpt-oss-like (~0.5B, MXFP4 experts as released), "
                    + "deepseek-v3-like (~0.5B, FP8 e4m3 weights with 128x128 block scales as released) or "
                    + "mixtral-591m (float32, the speed comparison with transformers; vocabulary wider than the demo "
                    + "tokenizer's).")
    private String shape;

    @Override
    public Integer call() throws Exception {
        DemoWriting.write(out, DemoShape.byCliName(shape));
        System.out.println("Demo checkpoint written to " + out.toAbsolutePath());
        return 0;
    }
}
