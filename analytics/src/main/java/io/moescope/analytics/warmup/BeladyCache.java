package io.moescope.analytics.warmup;

import java.util.Arrays;
import java.util.List;

/** Belady's MIN over the flattened access sequence (token by token, experts in rank order). */
final class BeladyCache {

    private BeladyCache() {
    }

    static void run(List<int[]> sequence, int numExperts, int capacity, int[] hits) {
        int k = sequence.isEmpty() ? 0 : sequence.get(0).length;
        int accesses = sequence.size() * k;
        // nextUse[i] = position of the next access to the same expert after access i, or MAX_VALUE.
        int[] nextUse = new int[accesses];
        int[] upcoming = new int[numExperts];
        Arrays.fill(upcoming, Integer.MAX_VALUE);
        for (int i = accesses - 1; i >= 0; i--) {
            int expert = sequence.get(i / k)[i % k];
            nextUse[i] = upcoming[expert];
            upcoming[expert] = i;
        }
        boolean[] resident = new boolean[numExperts];
        int[] residentNextUse = new int[numExperts];
        int size = 0;
        for (int i = 0; i < accesses; i++) {
            int expert = sequence.get(i / k)[i % k];
            if (resident[expert]) {
                hits[i / k]++;
            } else {
                if (size == capacity) {
                    int victim = -1;
                    for (int e = 0; e < numExperts; e++) {
                        if (resident[e] && (victim < 0 || residentNextUse[e] > residentNextUse[victim])) {
                            victim = e;
                        }
                    }
                    resident[victim] = false;
                    size--;
                }
                resident[expert] = true;
                size++;
            }
            residentNextUse[expert] = nextUse[i];
        }
    }
}
