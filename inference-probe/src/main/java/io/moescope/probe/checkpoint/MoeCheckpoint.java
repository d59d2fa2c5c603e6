package io.moescope.probe.checkpoint;

import io.moescope.events.ModelIdentity;
import io.moescope.traces.model.ModelConfig;
import io.moescope.traces.model.ParameterCounts;
import io.moescope.traces.routing.RouterRule;
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
    private final RouterRule routerRule;
    private final WeightFiles weights;

    private MoeCheckpoint(Path directory, MoeConfig config, ParameterCounts parameters, RouterRule routerRule,
                          WeightFiles weights) {
        this.directory = directory;
        this.config = config;
        this.parameters = parameters;
        this.routerRule = routerRule;
        this.weights = weights;
    }

    /** Reads the config, opens the weights and validates every tensor; throws {@link CheckpointException}. */
    public static MoeCheckpoint open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new CheckpointException("checkpoint directory " + directory + " does not exist");
        }
        MoeConfig config = new ConfigReader().read(directory.resolve(CONFIG_FILE));
        // the one count of every place that shows a model, from the file ConfigReader has just validated
        ModelConfig model = ModelConfig.read(directory.resolve(CONFIG_FILE));
        ParameterCounts parameters = ParameterCounts.of(model);
        // the one choice of rule per architecture, shared with the importers
        RouterRule rule = RouterRule.from(model);
        WeightFiles weights = WeightFiles.open(directory);
        try {
            validate(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return new MoeCheckpoint(directory, config, parameters, rule, weights);
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

    /** How the routers choose experts and weights: the rule {@link RouterRule#from} names for the architecture. */
    public RouterRule routerRule() {
        return routerRule;
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

    /**
     * {@code count} elements of a float tensor from element {@code first} on: one expert's part of a stacked tensor,
     * read from the memory map alone.
     */
    public float[] floats(String name, long first, int count) {
        return weights.floats(name, first, count);
    }

    /** {@code count} bytes of a U8 (MXFP4) tensor from byte {@code first} on. */
    public byte[] bytes(String name, long first, int count) {
        return weights.bytes(name, first, count);
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
            // U8 only where MXFP4 codes belong; anywhere else bytes would be read as numbers they are not
            if (DecoderTensors.isPacked(name) != (actual.dtype() == DType.U8)) {
                throw new CheckpointException("tensor " + name + " in " + weights.fileOf(name) + " has dtype "
                        + actual.dtype() + " but " + (DecoderTensors.isPacked(name) ? "MXFP4 blocks and scales are U8"
                        : "only MXFP4 blocks and scales may be U8; this tensor must be F32, F16 or BF16"));
            }
        }
        refuseUnused(config, weights, used.keySet());
    }
}
