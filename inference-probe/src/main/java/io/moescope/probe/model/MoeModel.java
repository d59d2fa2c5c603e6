package io.moescope.probe.model;

import ai.djl.ndarray.NDManager;
import io.moescope.probe.checkpoint.MoeCheckpoint;
import io.moescope.probe.checkpoint.MoeConfig;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An MoE decoder (any {@link io.moescope.probe.checkpoint.Architecture}) on DJL's NDArray API: the checkpoint's
 * weights live in this model's manager until
 * {@link #close()}. Generate with {@link #newSequence()}, one sequence per request.
 *
 * <p>Not thread-safe: run one sequence step at a time. With more than one PyTorch intra-op thread when it is loaded
 * ({@link EngineThreads}), a decode step runs its experts on that many Java threads side by side (see
 * {@link MoeBlock}).
 */
public final class MoeModel implements AutoCloseable {

    private final MoeConfig config;
    private final NDManager manager;
    private final ModelWeights weights;
    private final Rope rope;
    private final SelfAttention attention;
    private final MoeBlock moe;

    private final ExpertCache cache;
    /** Threads that run a decode step's experts beside the generating thread; null when there are none. */
    private final ExecutorService decodeWorkers;

    private MoeModel(MoeCheckpoint checkpoint, NDManager manager, ModelWeights weights, ExpertCache cache) {
        this.config = checkpoint.config();
        this.manager = manager;
        this.weights = weights;
        this.cache = cache;
        // DeepSeek's headDim is its rotary part (qk_rope_head_dim), which alone takes the positions
        this.rope = new Rope(manager, config.headDim(),
                RopeFrequencies.of(config.headDim(), config.ropeTheta(), config.ropeScaling()),
                config.deepseek() != null && config.deepseek().ropeInterleave());
        this.attention = config.deepseek() != null ? new LatentAttention(config) : new Attention(config);
        // As many lanes as intra-op threads, up to top-k. Not with an expert cache: getting one expert may evict
        // another, so its experts run one after another.
        int workers = cache == null ? Math.min(EngineThreads.intraOp(), config.topK()) - 1 : 0;
        this.decodeWorkers = workers > 0 ? Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "moescope-decode-experts");
            t.setDaemon(true);
            return t;
        }) : null;
        this.moe = new MoeBlock(checkpoint.routerRule(), decodeWorkers, workers);
    }

    /** DJL engine the maths runs on; named, because another engine on the classpath could become the default. */
    public static final String ENGINE = "PyTorch";

    /** Copies the checkpoint's weights (widened to float32) into a new manager of the PyTorch engine. */
    public static MoeModel load(MoeCheckpoint checkpoint) {
        NDManager manager = NDManager.newBaseManager(ENGINE);
        try {
            return new MoeModel(checkpoint, manager, ModelWeights.load(checkpoint, manager), null);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads everything but the routed experts, which an {@link ExpertCache} materialises from the memory-mapped
     * checkpoint on first use; the checkpoint must stay open while the model runs.
     */
    public static MoeModel load(MoeCheckpoint checkpoint, Offloading offloading) {
        NDManager manager = NDManager.newBaseManager(ENGINE);
        try {
            var cache = new ExpertCache(checkpoint.config().numExperts(), offloading.capacity(), offloading.policy(),
                    manager, (layer, expert, m) -> ModelWeights.loadExpert(checkpoint, layer, expert, m),
                    offloading.listener());
            return new MoeModel(checkpoint, manager, ModelWeights.load(checkpoint, manager, cache), cache);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The expert cache when offloading, else empty. */
    public Optional<ExpertCache> expertCache() {
        return Optional.ofNullable(cache);
    }

    public MoeConfig config() {
        return config;
    }

    /**
     * An empty sequence (position 0, empty KV cache); close it when the request is done. Each forward step says
     * whether it captures routing.
     */
    public Sequence newSequence() {
        return new Sequence(this, new KvCache(manager, config.numLayers()));
    }

    /** Arrays the model's own manager holds; constant after loading unless something leaks into it. */
    public int managedArrays() {
        return manager.getManagedArrays().size();
    }

    NDManager manager() {
        return manager;
    }

    ModelWeights weights() {
        return weights;
    }

    Rope rope() {
        return rope;
    }

    SelfAttention attention() {
        return attention;
    }

    MoeBlock moe() {
        return moe;
    }

    @Override
    public void close() {
        if (decodeWorkers != null) {
            decodeWorkers.shutdown();
        }
        if (cache != null) {
            cache.close();
        }
        manager.close();
    }
}
