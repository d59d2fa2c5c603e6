package io.moescope.probe.model;

import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Keeps at most {@code capacity} routed experts per layer on the engine; the others stay in the memory-mapped
 * checkpoint and are materialised on first use, evicting one by {@link CachePolicy}. This is how memory-starved
 * deployments run MoE models (mixtral-offloading, Eliseev &amp; Mazur 2023), and it makes the cost of a cold expert
 * visible: every access is reported to the listener. Each resident expert owns a sub-manager, closed on eviction,
 * so resident native memory is bounded by {@code capacity} experts per layer. Not thread-safe.
 */
public final class ExpertCache implements AutoCloseable {

    /** Reads one expert from the checkpoint into a manager. */
    @FunctionalInterface
    interface Loader {
        Loaded load(int layer, int expert, NDManager manager);
    }

    /** A materialised expert and the bytes read for it. */
    record Loaded(SwiGlu weights, long bytesRead) {
    }

    private record Resident(SwiGlu weights, NDManager manager, long bytes) {
    }

    private final int capacity;
    private final CachePolicy policy;
    private final NDManager parent;
    private final Loader loader;
    private final Consumer<ExpertAccess> listener;
    /** Per layer, resident experts in access order (eldest first). */
    private final Map<Integer, LinkedHashMap<Integer, Resident>> resident = new HashMap<>();
    private final Map<Long, Long> uses = new HashMap<>();
    private long hits;
    private long misses;
    private long residentBytes;
    private long peakResidentBytes;

    ExpertCache(int capacity, CachePolicy policy, NDManager parent, Loader loader, Consumer<ExpertAccess> listener) {
        if (capacity < 1) {
            throw new IllegalArgumentException("expert cache capacity must be at least 1 but is " + capacity);
        }
        this.capacity = capacity;
        this.policy = policy;
        this.parent = parent;
        this.loader = loader;
        this.listener = listener;
    }

    /** A layer's experts as the MoE block sees them. */
    FeedForward.Experts layer(int layer) {
        return e -> get(layer, e);
    }

    SwiGlu get(int layer, int expert) {
        var layerExperts = resident.computeIfAbsent(layer, l -> new LinkedHashMap<>(16, 0.75f, true));
        long key = ((long) layer << 32) | expert;
        uses.merge(key, 1L, Long::sum);
        Resident found = layerExperts.get(expert);
        if (found != null) {
            hits++;
            listener.accept(new ExpertAccess(layer, expert, true, 0, 0, -1));
            return found.weights();
        }
        misses++;
        int evicted = layerExperts.size() >= capacity ? evict(layer, layerExperts) : -1;
        long start = System.nanoTime();
        NDManager manager = parent.newSubManager();
        Loaded loaded;
        try {
            loaded = loader.load(layer, expert, manager);
        } catch (RuntimeException e) {
            manager.close();
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

    /** Checkpoint bytes of the experts resident now (their float32 copies on the engine take 4 / dtype size times). */
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

    private int evict(int layer, LinkedHashMap<Integer, Resident> layerExperts) {
        int victim = layerExperts.keySet().iterator().next();
        if (policy == CachePolicy.LFU) {
            long fewest = Long.MAX_VALUE;
            // Iteration runs eldest first, so the strict comparison leaves ties to the least recently used.
            for (int candidate : layerExperts.keySet()) {
                long count = uses.getOrDefault(((long) layer << 32) | candidate, 0L);
                if (count < fewest) {
                    fewest = count;
                    victim = candidate;
                }
            }
        }
        Resident gone = layerExperts.remove(victim);
        gone.manager().close();
        residentBytes -= gone.bytes();
        return victim;
    }

    @Override
    public void close() {
        resident.values().forEach(layer -> layer.values().forEach(r -> r.manager().close()));
        resident.clear();
    }
}
