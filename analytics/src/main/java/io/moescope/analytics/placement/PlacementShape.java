package io.moescope.analytics.placement;

import java.util.OptionalInt;

/**
 * A placement request checked against the model before any plan is computed: every parameter has a bound derived
 * from the number of experts, so no request can make the planner allocate without limit (issue #18: 400,000,000
 * replicas ran out of heap).
 *
 * <p>Bounds: {@code experts <= replicas <= 16 x experts} (eplb.py needs a slot per expert; DeepSeek-V3 serves 256
 * experts on 288 slots, so a sixteenfold replication is far past any deployment), replicas a multiple of gpus;
 * {@code 1 <= gpus <= 16 x experts} (each GPU holds a slot); groups divide the experts; nodes divide the GPUs.
 *
 * @param replicas physical expert slots per layer
 */
public record PlacementShape(int gpus, int replicas, int groups, int nodes) {

    /** Replicas per expert at most; see the class comment. */
    public static final int MAX_REPLICATION = 16;

    /**
     * @param replicas empty = the smallest multiple of gpus that holds every expert
     * @throws IllegalArgumentException naming the first parameter out of its bound, and the bound
     */
    public static PlacementShape of(int experts, int gpus, OptionalInt replicas, int groups, int nodes) {
        int maxSlots = MAX_REPLICATION * experts;
        if (gpus < 1 || gpus > maxSlots) {
            throw new IllegalArgumentException("gpus must be between 1 and " + maxSlots + " (" + MAX_REPLICATION
                    + " x " + experts + " experts, one slot per GPU at least) but was " + gpus);
        }
        int slots = replicas.orElse((experts + gpus - 1) / gpus * gpus);
        if (slots < experts || slots > maxSlots) {
            throw new IllegalArgumentException("replicas must be between " + experts + " (one slot per expert) and "
                    + maxSlots + " (" + MAX_REPLICATION + " x " + experts + " experts) but was " + slots);
        }
        if (slots % gpus != 0) {
            throw new IllegalArgumentException("replicas must be a multiple of gpus (" + gpus + ") but was " + slots);
        }
        if (groups < 1 || groups > experts || experts % groups != 0) {
            throw new IllegalArgumentException("groups must divide the " + experts + " experts but was " + groups);
        }
        if (nodes < 1 || nodes > gpus || gpus % nodes != 0) {
            throw new IllegalArgumentException("nodes must divide gpus (" + gpus + ") but was " + nodes);
        }
        return new PlacementShape(gpus, slots, groups, nodes);
    }
}
