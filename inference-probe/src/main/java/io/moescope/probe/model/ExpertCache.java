package io.moescope.probe.model;

import ai.djl.ndarray.NDManager;
import io.moescope.analytics.warmup.CachePolicy;
import io.moescope.analytics.warmup.OnlineCache;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps at most {@code capacity} routed experts per layer on the engine; the others stay in the memory-mapped
 * checkpoint and are materialised on first use, evicting one by {@link CachePolicy} (the {@link OnlineCache} the
 * warm-up analysis simulates). This is how memory-starved deployments run MoE models (mixtral-offloading, Eliseev
 * &amp; Mazur 2023), and it makes the cost of a cold expert visible: every access is reported to the listener. Each
 * resident expert owns a sub-manager, closed on eviction, so resident native memory is bounded by {@code capacity}
 * experts per layer. Not thread-safe.
 */
public final class ExpertCache implements AutoCloseable {

    /** Reads one expert from the checkpoint into a manager. */
    @FunctionalInterface
    interface Loader {
        Loaded load(int layer, int expert, NDManager manager);
    }

    /** A materialised expert and the bytes read for it. */
    record Loaded(Expert weights, long bytesRead) {
    }

    private record Resident(Expert weights, NDManager manager, long bytes) {
    }

    private final int numExperts;
    private final int capacity;
    private final CachePolicy policy;
    private final NDManager parent;
    private final Loader loader;
    private final Consumer<ExpertAccess> listener;
    /** Per layer, which experts are resident and which one leaves next. */
    private final Map<Integer, OnlineCache> residency = new HashMap<>();
    /** Per layer, the resident experts' weights by expert id. */
    private final Map<Integer, Map<Integer, Resident>> resident = new HashMap<>();
    private long hits;
    private long misses;
    private long residentBytes;
    private long peakResidentBytes;

    ExpertCache(int numExperts, int capacity, CachePolicy policy, NDManager parent, Loader loader,
                Consumer<ExpertAccess> listener) {
        if (capacity < 1) {
            throw new IllegalArgumentException("expert cache capacity must be at least 1 but is " + capacity);
        }
        this.numExperts = numExperts;
        this.capacity = capacity;
        this.policy = Offloading.requireLive(policy);
        this.parent = parent;
        this.loader = loader;
        this.listener = listener;
    }

    /** A layer's experts as the MoE block sees them. */
    FeedForward.Experts layer(int layer) {
        return e -> get(layer, e);
    }

    Expert get(int layer, int expert) {
        OnlineCache layerResidency = residency.computeIfAbsent(layer,
                l -> new OnlineCache(numExperts, capacity, policy == CachePolicy.LFU));
        Map<Integer, Resident> layerExperts = resident.computeIfAbsent(layer, l -> new HashMap<>());
        if (layerResidency.access(expert)) {
            hits++;
            listener.accept(new ExpertAccess(layer, expert, true, 0, 0, -1));
            return layerExperts.get(expert).weights();
        }
        misses++;
        int evicted = layerResidency.lastEvicted();
        if (evicted != OnlineCache.NONE) {
            release(layerExperts.remove(evicted));
        }
        long start = System.nanoTime();
        NDManager manager = parent.newSubManager();
        Loaded loaded;
        try {
            loaded = loader.load(layer, expert, manager);
        } catch (RuntimeException e) {
            manager.close();
            layerResidency.remove(expert);
            throw e;
        }
        long nanos = System.nanoTime() - start;
        layerExperts.put(expert, new Resident(loaded.weights(), manager, loaded.bytesRead()));
        residentBytes += loaded.bytesRead();
        peakResidentBytes = Math.max(peakResidentBytes, residentBytes);
        listener.accept(new ExpertAccess(layer, expert, false, loaded.bytesRead(), nanos, evicted));
        return loaded.weights();
    }

    /** Experts resident in {@code layer} now. */
    public int residentIn(int layer) {
        var layerExperts = resident.get(layer);
        return layerExperts == null ? 0 : layerExperts.size();
    }

    /**
     * Checkpoint bytes of the experts resident now (their float32 copies on the engine take 4 / dtype size times, and
     * about 8 times for gpt-oss's MXFP4 experts).
     */
    public long residentBytes() {
        return residentBytes;
    }

    /** The most {@link #residentBytes()} ever reached. */
    public long peakResidentBytes() {
        return peakResidentBytes;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    private void release(Resident gone) {
        gone.manager().close();
        residentBytes -= gone.bytes();
    }

    @Override
    public void close() {
        resident.values().forEach(layer -> layer.values().forEach(r -> r.manager().close()));
        resident.clear();
        residency.clear();
    }
}
