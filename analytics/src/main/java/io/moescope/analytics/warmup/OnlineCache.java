package io.moescope.analytics.warmup;

/**
 * LRU or LFU cache over expert ids [0, N): which experts are resident and which one leaves to make room. The
 * simulator replays a routing sequence through it; the probe's expert offloading keeps its resident weights by it.
 * Arrays indexed by expert instead of linked structures: N is at most a few hundred, so a scan over the C residents
 * to pick a victim is cheap and obviously correct. Not thread-safe.
 */
public final class OnlineCache {

    /** {@link #lastEvicted()} when the last access evicted nothing. */
    public static final int NONE = -1;

    private final boolean lfu;
    private final int capacity;
    private final boolean[] resident;
    private final long[] lastUse;
    private final long[] uses;
    private int size;
    private long clock;
    private int lastEvicted = NONE;

    /**
     * @param lfu false: evict the least recently used expert; true: the one with the fewest uses so far (uses while
     *            not resident count too), the least recently used among equals
     */
    public OnlineCache(int numExperts, int capacity, boolean lfu) {
        this.lfu = lfu;
        this.capacity = capacity;
        this.resident = new boolean[numExperts];
        this.lastUse = new long[numExperts];
        this.uses = new long[numExperts];
    }

    /** Uses {@code expert}, making it resident; on a miss with a full cache evicts one first. @return true on a hit */
    public boolean access(int expert) {
        clock++;
        uses[expert]++;
        lastEvicted = NONE;
        boolean hit = resident[expert];
        if (!hit) {
            if (size == capacity) {
                lastEvicted = victim();
                resident[lastEvicted] = false;
                size--;
            }
            resident[expert] = true;
            size++;
        }
        lastUse[expert] = clock;
        return hit;
    }

    /** The expert the last {@link #access} evicted, or {@link #NONE}. */
    public int lastEvicted() {
        return lastEvicted;
    }

    /** Makes {@code expert} not resident (its uses still count), e.g. when loading it failed after a miss. */
    public void remove(int expert) {
        if (resident[expert]) {
            resident[expert] = false;
            size--;
        }
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
