package io.moescope.probe.checkpoint;

import io.moescope.events.ModelIdentity;
import io.moescope.traces.model.ParameterCounts;
import io.moescope.traces.routing.RouterRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
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
    private final Optional<String> skipped;

    private MoeCheckpoint(Path directory, MoeConfig config, ParameterCounts parameters, RouterRule routerRule,
                          WeightFiles weights, Optional<String> skipped) {
        this.directory = directory;
        this.config = config;
        this.parameters = parameters;
        this.routerRule = routerRule;
        this.weights = weights;
        this.skipped = skipped;
    }

    /** Reads the config, opens the weights and validates every tensor; throws {@link CheckpointException}. */
    public static MoeCheckpoint open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new CheckpointException("checkpoint directory " + directory + " does not exist");
        }
        ParsedConfig parsed = new ConfigReader().parse(directory.resolve(CONFIG_FILE));
        MoeConfig config = parsed.config();
        // the one count of every place that shows a model
        ParameterCounts parameters = ParameterCounts.of(parsed.model());
        WeightFiles weights = WeightFiles.open(directory);
        Optional<String> skipped;
        try {
            skipped = validate(config, weights);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return new MoeCheckpoint(directory, config, parameters, parsed.router(), weights, skipped);
    }

    /**
     * What the checkpoint holds that the decoder does not run, for the load summary: DeepSeek's
     * multi-token-prediction layers ({@code num_nextn_predict_layers}), empty when there are none on disk.
     */
    public Optional<String> skipped() {
        return skipped;
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

    /**
     * A tensor's elements as stored, widened to float, row-major (an FP8 weight without its block scales: see
     * {@link #weight}); the LM head falls back to the embedding when tied.
     */
    public float[] floats(String name) {
        return weights.floats(stored(name));
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

    /**
     * A weight as the model applies it, row-major: {@link #floats}, and for a float8_e4m3fn weight each block times its
     * {@code weight_scale_inv} ({@link BlockScales}), so FP8 experts are dequantised only when materialised.
     */
    public float[] weight(String name) {
        String stored = stored(name);
        float[] values = weights.floats(stored);
        TensorInfo info = info(stored);
        if (info.dtype() != DType.F8_E4M3) {
            return values;
        }
        long[] shape = info.shape();
        return config.deepseek().weightBlocks().apply(values, (int) shape[0], (int) shape[1],
                weights.floats(DecoderTensors.scaleInverse(stored)));
    }

    /** The tensor that holds {@code name}: a tied LM head is the embedding. */
    private String stored(String name) {
        return name.equals(DecoderTensors.lmHead()) && config.tieWordEmbeddings() ? DecoderTensors.embedTokens() : name;
    }

    /** Bytes a weight occupies in its files with its block scales (what reading it from the memory map touches). */
    public long fileBytes(String name) {
        String scales = DecoderTensors.scaleInverse(name);
        return info(name).byteSize() + weights.tensor(scales).map(TensorInfo::byteSize).orElse(0L);
    }

    private TensorInfo info(String name) {
        return weights.tensor(name).orElseThrow(() -> new CheckpointException("missing tensor " + name + " in "
                + weights.description()));
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

    /** Checks every tensor; returns the note on the multi-token-prediction layers it skipped, if any. */
    private static Optional<String> validate(MoeConfig config, WeightFiles weights) {
        Map<String, long[]> expected = DecoderTensors.expected(config);
        Set<String> used = new HashSet<>(expected.keySet());
        for (Map.Entry<String, long[]> entry : expected.entrySet()) {
            String name = entry.getKey();
            TensorInfo actual = weights.tensor(name).orElseThrow(() -> new CheckpointException(
                    "missing tensor " + name + " in " + weights.description()));
            requireShape(weights, actual, entry.getValue(), "config.json implies");
            if (actual.dtype() == DType.F8_E4M3) {
                used.add(requireBlockScales(config, weights, actual));
            }
            // U8 only where MXFP4 codes belong; anywhere else bytes would be read as numbers they are not
            if (DecoderTensors.isPacked(name) != (actual.dtype() == DType.U8)) {
                throw new CheckpointException("tensor " + name + " in " + weights.fileOf(name) + " has dtype "
                        + actual.dtype() + " but " + (DecoderTensors.isPacked(name) ? "MXFP4 blocks and scales are U8"
                        : "only MXFP4 blocks and scales may be U8; this tensor must be F32, F16, BF16 or F8_E4M3"));
            }
        }
        Optional<String> skipped = skipNextTokenLayers(config, weights, used);
        refuseUnused(config, weights, used);
        return skipped;
    }

    /** An FP8 weight needs the config's block size and a float scale per block; returns the scales' name. */
    private static String requireBlockScales(MoeConfig config, WeightFiles weights, TensorInfo weight) {
        String name = weight.name();
        BlockScales blocks = config.deepseek() == null ? null : config.deepseek().weightBlocks();
        if (blocks == null || weight.shape().length != 2) {
            throw new CheckpointException("tensor " + name + " in " + weights.fileOf(name) + " is F8_E4M3, which this"
                    + " probe reads only as a 2-D weight with block scales under a \"quantization_config\" of fp8");
        }
        String scales = DecoderTensors.scaleInverse(name);
        TensorInfo info = weights.tensor(scales).orElseThrow(() -> new CheckpointException("tensor " + name
                + " is F8_E4M3 but its block scales " + scales + " are missing in " + weights.description()));
        requireShape(weights, info, blocks.scaleShape(weight.shape()[0], weight.shape()[1]),
                "its " + blocks.rows() + "x" + blocks.cols() + " blocks of " + name + " imply");
        if (info.dtype() == DType.F8_E4M3) {
            throw new CheckpointException("block scales " + scales + " must be a float type, not F8_E4M3");
        }
        return scales;
    }

    /**
     * DeepSeek stores {@code num_nextn_predict_layers} multi-token-prediction layers after the decoder's (transformers
     * drops them on load too); their tensors count as used, and the note says so.
     */
    private static Optional<String> skipNextTokenLayers(MoeConfig config, WeightFiles weights, Set<String> used) {
        int nextn = config.deepseek() == null ? 0 : config.deepseek().nextnLayers();
        if (nextn == 0) {
            return Optional.empty();
        }
        int first = config.numLayers();
        int count = 0;
        for (String name : weights.names()) {
            if (DecoderTensors.inLayerAtOrAfter(name, first) && !DecoderTensors.inLayerAtOrAfter(name, first + nextn)) {
                used.add(name);
                count++;
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of("skipped " + count + " tensors of " + nextn + " multi-token-prediction layer"
                + (nextn == 1 ? "" : "s") + " (model.layers." + first + (nextn == 1 ? "" : ".." + (first + nextn - 1))
                + ".*, num_nextn_predict_layers): not part of the decoder");
    }

    private static void requireShape(WeightFiles weights, TensorInfo actual, long[] shape, String source) {
        if (!actual.hasShape(shape)) {
            throw new CheckpointException("tensor " + actual.name() + " in " + weights.fileOf(actual.name())
                    + " has shape " + Arrays.toString(actual.shape()) + " but " + source + " "
                    + Arrays.toString(shape));
        }
    }
}
