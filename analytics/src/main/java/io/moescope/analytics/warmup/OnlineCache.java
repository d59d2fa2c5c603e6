package io.moescope.analytics.warmup;

/**
 * LRU or LFU cache over expert ids [0, N). Arrays indexed by expert instead of linked structures: N is at most a
 * few hundred, so a scan over the C residents to pick a victim is cheap and obviously correct.
 */
final class OnlineCache {

    private final boolean lfu;
    private final int capacity;
    private final boolean[] resident;
    private final long[] lastUse;
    private final long[] uses;
    private int size;
    private long clock;

    OnlineCache(int numExperts, int capacity, boolean lfu) {
        this.lfu = lfu;
        this.capacity = capacity;
        this.resident = new boolean[numExperts];
        this.lastUse = new long[numExperts];
        this.uses = new long[numExperts];
    }

    /** @return true on a hit */
    boolean access(int expert) {
        clock++;
        uses[expert]++;
        boolean hit = resident[expert];
        if (!hit) {
            if (size == capacity) {
                resident[victim()] = false;
                size--;
            }
            resident[expert] = true;
            size++;
        }
        lastUse[expert] = clock;
        return hit;
    }

    private int victim() {
        int victim = -1;
        for (int e = 0; e < resident.length; e++) {
            if (resident[e] && (victim < 0 || before(e, victim))) {
                victim = e;
            }
        }
        return victim;
    }

    /** Whether e should be evicted before the current victim v. */
    private boolean before(int e, int v) {
        if (lfu && uses[e] != uses[v]) {
            return uses[e] < uses[v];
        }
        return lastUse[e] < lastUse[v];
    }
}
