package io.moescope.cli;

import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo-model", mixinStandardHelpOptions = true,
        description = {"Write a small deterministic Mixtral-format checkpoint (config.json, model.safetensors, "
            + "tokenizer.json) with seeded random weights.",
            "It is NOT a trained model: its text is gibberish, but its router makes real decisions."})
final class DemoModelCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("demo-model").setUnit(" tensors", 1)
                .continuousUpdate().build()) {
            new DemoCheckpointWriter(DemoModelSpec.defaults()).write(out, (done, total) -> {
                bar.maxHint(total);
                bar.stepTo(done);
            });
        }
        System.out.println("Demo checkpoint written to " + out.toAbsolutePath());
        return 0;
    }
}
