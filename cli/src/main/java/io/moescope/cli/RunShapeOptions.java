package io.moescope.cli;

import picocli.CommandLine.Option;

/**
 * {@code --layers} and {@code --top-k}: the shape of the synthetic run a benchmark stores. {@code --experts} is each
 * benchmark's own, as their defaults differ (a mixin's option reads the same in every command's help).
 */
final class RunShapeOptions {

    @Option(names = "--layers", defaultValue = "32", description = "MoE layers per token (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--top-k", defaultValue = "2",
            description = "Experts chosen per layer (default: ${DEFAULT-VALUE}).")
    int topK;

    /** @param experts the run's experts per layer, which bound {@code --top-k} */
    void checkBounds(int experts) {
        OptionBounds.between("--layers", layers, 1, OptionBounds.MAX_LAYER + 1L);
        OptionBounds.between("--top-k", topK, 1, experts);
    }
}
