package io.moescope.probe.demo;

import io.moescope.probe.checkpoint.Architecture;
import io.moescope.probe.checkpoint.DType;
import io.moescope.probe.checkpoint.DecoderTensors;
import io.moescope.probe.checkpoint.MoeConfig;

/**
 * The dtype each tensor of a demo checkpoint is stored in. The original demo shapes are float32; gpt-oss and
 * DeepSeek-V3 follow their releases, so that the probe's decoding of those formats is part of what a bench measures:
 * bfloat16 throughout, gpt-oss's experts as MXFP4 bytes, DeepSeek's linear layers as FP8 e4m3 with float32 block
 * scales beside them and its correction bias in float32.
 */
record ReleasedFormats(MoeConfig config) {

    DType dtype(String name, long[] shape) {
        Architecture arch = config.arch();
        if (arch != Architecture.GPT_OSS && !arch.isDeepseek()) {
            return DType.F32;
        }
        if (DecoderTensors.isPacked(name)) {
            return DType.U8;
        }
        if (fp8(name, shape)) {
            return DType.F8_E4M3;
        }
        return name.endsWith("e_score_correction_bias") ? DType.F32 : DType.BF16;
    }

    /** Whether the tensor is one of DeepSeek's FP8 linear weights: a decoder layer's matrix other than its router. */
    boolean fp8(String name, long[] shape) {
        return config.deepseek() != null && config.deepseek().weightBlocks() != null && shape.length == 2
                && name.startsWith("model.layers.") && !name.endsWith("mlp.gate.weight");
    }
}
