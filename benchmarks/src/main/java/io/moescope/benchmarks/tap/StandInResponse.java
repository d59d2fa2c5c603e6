package io.moescope.benchmarks.tap;

import io.moescope.traces.model.ModelConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The body vLLM's OpenAI server returns for a {@code /v1/completions} request with routed experts: the routing as
 * base64 of an {@code np.save} int32 array {@code [positions, num_hidden_layers, top_k]} (format 1.0), zeros at the
 * dense layers, the rest varying by position and layer.
 */
final class StandInResponse {

    /** Prompt tokens of every benched request; the rest of the positions are generated. */
    static final int PROMPT = 128;

    private StandInResponse() {
    }

    /** A response whose routing covers {@code positions} positions (prompt + completion - 1). */
    static byte[] completion(int positions, ModelConfig model) {
        int completion = positions - PROMPT + 1;
        return ("{\"id\":\"cmpl-bench\",\"object\":\"text_completion\",\"created\":1780000000,\"model\":\""
                + model.name() + "\",\"choices\":[{\"index\":0,\"text\":\" ...\",\"logprobs\":null,"
                + "\"finish_reason\":\"length\",\"stop_reason\":null,\"prompt_logprobs\":null,\"routed_experts\":\""
                + Base64.getEncoder().encodeToString(npy(positions, model)) + "\"}],\"usage\":{\"prompt_tokens\":"
                + PROMPT + ",\"total_tokens\":" + (PROMPT + completion) + ",\"completion_tokens\":" + completion
                + ",\"prompt_tokens_details\":null},\"kv_transfer_params\":null}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] npy(int positions, ModelConfig model) {
        int layers = model.numHiddenLayers();
        int k = model.topK();
        String header = "{'descr': '<i4', 'fortran_order': False, 'shape': (" + positions + ", " + layers + ", " + k
                + "), }";
        // magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to 64 bytes
        int padded = ((10 + header.length() + 1 + 63) / 64) * 64 - 10;
        header = header + " ".repeat(padded - header.length() - 1) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + padded + positions * layers * k * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) padded);
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int position = 0; position < positions; position++) {
            for (int layer = 0; layer < layers; layer++) {
                for (int slot = 0; slot < k; slot++) {
                    // distinct ids within a layer while k * 31 < N; zero rows at the dense layers
                    out.putInt(model.isMoeLayer(layer) ? (position * 7 + layer * 13 + slot * 31) % model.numExperts()
                            : 0);
                }
            }
        }
        return out.array();
    }
}
