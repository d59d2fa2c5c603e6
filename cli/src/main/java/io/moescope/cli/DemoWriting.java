package io.moescope.cli;

import io.moescope.probe.demo.DemoCheckpointWriter;
import io.moescope.probe.demo.DemoModelSpec;
import io.moescope.probe.demo.DemoShape;
import java.io.IOException;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Writes a generated checkpoint of one shape with a progress bar over its tensors: demo-model's and bench's. */
final class DemoWriting {

    private DemoWriting() {
    }

    static void write(Path dir, DemoShape shape) throws IOException {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(shape.cliName()).setUnit(" tensors", 1)
                .continuousUpdate().build()) {
            new DemoCheckpointWriter(DemoModelSpec.defaults()).write(dir, shape.config(), (done, total) -> {
                bar.maxHint(total);
                bar.stepTo(done);
            });
        }
    }
}
