package io.moescope.probe.demo;

import io.moescope.probe.checkpoint.MoeConfig;

/**
 * Shapes of generated checkpoints for benchmarks. The demo model is far smaller than any real MoE, so a capture
 * cost that is fixed per token looks large next to its decode step; the OLMoE-like shape has OLMoE-1B-7B's routing
 * (64 experts, top-8, 16 MoE layers, no renormalisation, q/k norm) with the widths scaled down 8x (hidden 256,
 * expert 128) so that it loads in seconds and fits beside other work (400 MB of float32 weights).
 */
public enum DemoShape {

    DEMO("demo"),
    OLMOE_LIKE("olmoe-like");

    private final String cliName;

    DemoShape(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public MoeConfig config() {
        return switch (this) {
            case DEMO -> DemoModelSpec.defaults().toConfig();
            case OLMOE_LIKE -> {
                var base = new MoeConfig("OlmoeForCausalLM", 256, 128, 16, 8, 8, 32, 64, 8, DemoTokenizer.VOCAB_SIZE,
                        1e-5, 1e4, 4096, false, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID);
                yield base.with("OlmoeForCausalLM", 128, 0, false, false, base.moeLayers());
            }
        };
    }

    /** The shape named {@code name} on the command line, or a message listing the known ones. */
    public static DemoShape byCliName(String name) {
        for (DemoShape shape : values()) {
            if (shape.cliName.equals(name)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown demo shape '" + name + "'; known: demo, olmoe-like");
    }
}
