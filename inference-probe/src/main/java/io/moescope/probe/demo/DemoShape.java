package io.moescope.probe.demo;

import io.moescope.probe.checkpoint.BlockScales;
import io.moescope.probe.checkpoint.DeepseekConfig;
import io.moescope.probe.checkpoint.GptOssExperts;
import io.moescope.probe.checkpoint.MoeConfig;
import io.moescope.probe.checkpoint.RopeScaling;
import io.moescope.probe.checkpoint.SlidingWindow;
import io.moescope.traces.routing.GroupLimitedRouting;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Shapes of generated checkpoints for benchmarks. The demo model is far smaller than any real MoE, so a capture
 * cost that is fixed per token looks large next to its decode step; the OLMoE-like shape has OLMoE-1B-7B's routing
 * (64 experts, top-8, 16 MoE layers, no renormalisation, q/k norm) with the widths scaled down 8x (hidden 256,
 * expert 128) so that it loads in seconds and fits beside other work (400 MB of float32 weights).
 *
 * <p>The gpt-oss-like and DeepSeek-V3-like shapes (about 0.5B parameters each) are written in their released formats,
 * so that a bench measures the probe's decoding of them too: MXFP4 experts, sinks, alternating sliding/full layers
 * and YaRN for gpt-oss; FP8 e4m3 weights with 128x128 block scales, latent attention with q_lora, group-limited
 * sigmoid routing with a correction bias, a shared expert and a first dense layer for DeepSeek-V3.
 */
public enum DemoShape {

    DEMO("demo"),
    OLMOE_LIKE("olmoe-like"),
    /** gpt-oss-20b's routing (32 experts, top-4) and layer pattern, hidden and expert width 640, 12 layers. */
    GPT_OSS_LIKE("gpt-oss-like"),
    /**
     * DeepSeek-V3's router (sigmoid, noaux_tc, 8 groups of which 4 kept, top-8, scaling 2.5) over 128 experts of
     * width 256, hidden 512, 10 layers of which the first is dense, one shared expert, YaRN as released.
     */
    DEEPSEEK_V3_LIKE("deepseek-v3-like"),
    /**
     * The 591M-parameter float32 Mixtral of the speed comparison with Hugging Face transformers (issue 20): hidden
     * 1024, expert width 2816, 8 layers, 8 experts top-2, vocabulary 8192, and transformers' {@code MixtralConfig}
     * defaults for the rest (32 heads on 8 key/value heads, rope theta 1e6). Its vocabulary is wider than the demo
     * tokenizer's, so it is for {@code bench-speed} and for writing the checkpoint another engine reads.
     */
    MIXTRAL_591M("mixtral-591m");

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
            case GPT_OSS_LIKE -> gptOss(640, 640, 12, 32, 4);
            case DEEPSEEK_V3_LIKE -> deepseekV3(512, 256, 10, 128, 8);
            case MIXTRAL_591M -> new MoeConfig("MixtralForCausalLM", 1024, 2816, 8, 32, 8, 32, 8, 2, 8192, 1e-5, 1e6,
                    4096, false, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID);
        };
    }

    /**
     * A gpt-oss config as released (MXFP4 experts, 8 query heads of 64 on 2 key/value heads, even layers sliding
     * over 128 tokens, YaRN factor 32 over 4096, the clamp at 7); widths multiples of 32 for the MXFP4 blocks.
     */
    public static MoeConfig gptOss(int hidden, int width, int layers, int experts, int topK) {
        List<Integer> all = IntStream.range(0, layers).boxed().toList();
        List<Integer> sliding = all.stream().filter(l -> l % 2 == 0).toList();
        return new MoeConfig("GptOssForCausalLM", hidden, width, layers, 8, 2, 64, experts, topK,
                DemoTokenizer.VOCAB_SIZE, 1e-5, 150000, 131072, false, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID,
                width, 0, false, true, all, RopeScaling.gptOssDefault(), new SlidingWindow(128, sliding),
                new GptOssExperts(1.702, 7.0, true));
    }

    /**
     * A DeepSeek-V3 config as released, scaled down: FP8 weights in 128x128 blocks, q_lora_rank 192, kv_lora_rank 128,
     * 4 heads of 64 + 32 rotary (v 64), 8 expert groups of which 4 are kept, one shared expert, the first layer dense
     * (6x the expert width), YaRN factor 40 over 4096 with mscale 1.
     */
    public static MoeConfig deepseekV3(int hidden, int width, int layers, int experts, int topK) {
        var router = new GroupLimitedRouting(experts, topK, GroupLimitedRouting.Scoring.SIGMOID,
                GroupLimitedRouting.Method.NOAUX_TC, 8, 4, true, 2.5);
        var deepseek = new DeepseekConfig(192, 128, 64, 32, 64, true, router, 0, BlockScales.DEEPSEEK_V3,
                false);
        var yarn = new RopeScaling(RopeScaling.Type.YARN, 40, 4096, 32, 1, true, Double.NaN, 1.0, 1.0);
        return new MoeConfig("DeepseekV3ForCausalLM", hidden, width, layers, 4, 4, 32, experts, topK,
                DemoTokenizer.VOCAB_SIZE, 1e-6, 10000, 163840, false, DemoTokenizer.BOS_ID, DemoTokenizer.EOS_ID,
                6 * width, width, true, false, IntStream.range(1, layers).boxed().toList(), yarn, SlidingWindow.NONE,
                null, deepseek);
    }

    /** The shape named {@code name} on the command line, or a message listing the known ones. */
    public static DemoShape byCliName(String name) {
        for (DemoShape shape : values()) {
            if (shape.cliName.equals(name)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("unknown demo shape '" + name + "'; known: "
                + Arrays.stream(values()).map(DemoShape::cliName).collect(Collectors.joining(", ")));
    }
}
