package io.moescope.probe.checkpoint;

import io.moescope.events.ModelIdentity;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.model.ParameterCounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * An opened and fully validated HF checkpoint directory: {@code config.json}, {@code tokenizer.json} and the weights
 * ({@code model.safetensors}, or shards listed by {@code model.safetensors.index.json}). Opening
 * checks every tensor the forward pass needs (presence, shape, dtype) so that a broken checkpoint fails before any
 * work or event happens, not halfway through a run.
 */
public final class MoeCheckpoint implements AutoCloseable {

    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = WeightFiles.SINGLE;
    public static final String WEIGHTS_INDEX_FILE = WeightFiles.INDEX;
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private final Path directory;
    private final MoeConfig config;
    private final ParameterCounts parameters;
    private final WeightFiles weights;

    private MoeCheckpoint(Path directory, MoeConfig config, ParameterCounts parameters, WeightFiles weights) {
        this.directory = directory;
        this.config = config;
        this.parameters = parameters;
        this.weights = weights;
    }

    /** Reads the config, opens the weights and validates every tensor; throws {@link CheckpointException}. */
    public static MoeCheckpoint open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new CheckpointException("checkpoint directory " + directory + " does not exist");
        }
        MoeConfig config = new ConfigReader().read(directory.resolve(CONFIG_FILE));
        // the one count of every place that shows a model, from the file ConfigReader has just validated
        ParameterCounts parameters = ParameterCounts.of(ModelConfig.read(directory.resolve(CONFIG_FILE)));
        WeightFiles weights = WeightFiles.open(directory);
        try {
            validate(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return new MoeCheckpoint(directory, config, parameters, weights);
    }

    public Path directory() {
        return directory;
    }

    public MoeConfig config() {
        return config;
    }

    public Path tokenizerFile() {
        return directory.resolve(TOKENIZER_FILE);
    }

    /**
     * The model's identity, named after the checkpoint directory. Active parameters are all of them minus, in every
     * MoE layer, the {@code N - k} routed experts a token is not sent to: the figure Mistral publishes as "12.9B
     * active" for Mixtral 8x7B.
     */
    public ModelIdentity identity() {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        return new ModelIdentity(name == null ? directory.toString() : name.toString(), config.architecture(),
                config.numExperts(), config.topK(), config.numLayers(), config.moeLayers(), parameters.total(),
                parameters.active());
    }

    /** Total and active parameters, as {@link ParameterCounts} gives them for the config. */
    public ParameterCounts parameters() {
        return parameters;
    }

    /** A tensor's elements as float, row-major; the LM head falls back to the embedding when tied. */
    public float[] floats(String name) {
        if (name.equals(DecoderTensors.lmHead()) && config.tieWordEmbeddings()) {
            return weights.floats(DecoderTensors.embedTokens());
        }
        return weights.floats(name);
    }

    /** Bytes a tensor occupies in its file (what reading it from the memory map touches). */
    public long fileBytes(String name) {
        return weights.tensor(name).orElseThrow(() -> new CheckpointException("missing tensor " + name + " in "
                + weights.description())).byteSize();
    }

    @Override
    public void close() {
        weights.close();
    }

    /**
     * A tensor the forward pass does not read would be silently dropped (an {@code o_proj.bias} of a config without
     * {@code attention_bias}, the {@code lm_head.weight} of a tied model): refused by name, the first in name order.
     */
    private static void refuseUnused(MoeConfig config, WeightFiles weights, Set<String> used) {
        weights.names().stream().filter(name -> !used.contains(name)).sorted().findFirst().ifPresent(name -> {
            throw new CheckpointException(name + " is in the checkpoint but not used by " + config.architecture()
                    + " with this config.json (" + weights.fileOf(name) + ")");
        });
    }

    private static void validate(MoeConfig config, WeightFiles weights) {
        Map<String, long[]> used = DecoderTensors.expected(config);
        for (Map.Entry<String, long[]> expected : used.entrySet()) {
            String name = expected.getKey();
            TensorInfo actual = weights.tensor(name).orElseThrow(() -> new CheckpointException(
                    "missing tensor " + name + " in " + weights.description()));
            if (!actual.hasShape(expected.getValue())) {
                throw new CheckpointException("tensor " + name + " in " + weights.fileOf(name) + " has shape "
                        + Arrays.toString(actual.shape()) + " but config.json implies "
                        + Arrays.toString(expected.getValue()));
            }
        }
        refuseUnused(config, weights, used.keySet());
    }
}
