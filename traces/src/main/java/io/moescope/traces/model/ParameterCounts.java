package io.moescope.traces.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parameter counts users compare MoE models by, from a {@code config.json}: every tensor of the decoder as the
 * HF modelling code builds it (embedding, attention, norms, biases, routers, routed and shared experts, dense
 * layers, LM head unless tied). DeepSeek's multi-token-prediction layers beyond {@code num_hidden_layers} are not
 * part of the decoder and not counted.
 *
 * @param total     every parameter
 * @param active    the parameters one token uses: all but the N - k routed experts it skips in each MoE layer
 *                  (shared experts, dense layers, the whole embedding and LM head count as active); the convention
 *                  of Mistral, OLMoE, Qwen and DeepSeek
 * @param embedding the input embedding ({@code vocab_size x hidden_size}), which a token reads one row of: OpenAI's
 *                  active count for gpt-oss leaves it out ({@link #activeWithoutEmbedding()})
 */
public record ParameterCounts(long total, long active, long embedding) {

    private static final List<String> ARCHITECTURES = List.of("DeepseekV2ForCausalLM", "DeepseekV3ForCausalLM",
            "GptOssForCausalLM", "MixtralForCausalLM", "OlmoeForCausalLM", "Qwen2MoeForCausalLM",
            "Qwen3MoeForCausalLM");

    /** Active parameters without the input embedding: the figure OpenAI and DeepSeek publish. */
    public long activeWithoutEmbedding() {
        return active - embedding;
    }

    /** E.g. {@code 116.83B parameters, 5.71B active per token (5.13B without the input embedding)}. */
    public String describe() {
        return scaled(total) + " parameters, " + scaled(active) + " active per token (" + scaled(activeWithoutEmbedding())
                + " without the input embedding)";
    }

    /** Two decimals in the largest unit the number reaches, as model cards write them (116.83B, 3.61B). */
    private static String scaled(long n) {
        String[] units = {"", "K", "M", "B", "T"};
        int unit = 0;
        double value = n;
        while (Math.abs(value) >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? Long.toString(n) : String.format(Locale.ROOT, "%.2f%s", value, units[unit]);
    }

    /** The counts where {@link #of} knows the architecture's tensors, else empty. */
    public static Optional<ParameterCounts> known(ModelConfig config) {
        return ARCHITECTURES.contains(config.architecture()) ? Optional.of(of(config)) : Optional.empty();
    }

    /**
     * @throws IllegalArgumentException naming the file and key when a key the count needs is missing or out of range,
     *                                  or the architecture when its tensors are not known here
     */
    public static ParameterCounts of(ModelConfig config) {
        ConfigValues v = config.values();
        if (!ARCHITECTURES.contains(config.architecture())) {
            throw v.error("the parameters of " + config.architecture() + " are not known; known: "
                    + String.join(", ", ARCHITECTURES));
        }
        int hidden = v.integer("hidden_size", 1);
        long embedding = (long) v.integer("vocab_size", 1) * hidden;
        LayerTensors layer = LayerTensors.of(config, hidden);
        int moeLayers = config.moeLayers().size();
        int denseLayers = config.numHiddenLayers() - moeLayers;
        long head = v.bool("tie_word_embeddings", false) ? 0 : embedding;
        long total = embedding + head + hidden + (long) config.numHiddenLayers() * (layer.attention() + 2L * hidden)
                + moeLayers * (config.numExperts() * layer.expert() + layer.router() + layer.shared())
                + denseLayers * layer.denseMlp();
        long skipped = (long) moeLayers * (config.numExperts() - config.topK()) * layer.expert();
        return new ParameterCounts(total, total - skipped, embedding);
    }
}
