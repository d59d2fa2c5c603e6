package io.moescope.analytics.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpertCacheSimulatorTest {

    /** Hot expert 0 between one-off experts, top-1. */
    private static final List<int[]> HOT_AND_SCAN = top1(0, 1, 0, 2, 3, 0, 4, 5, 0);

    private static List<int[]> top1(int... ids) {
        var sequence = new ArrayList<int[]>();
        for (int id : ids) {
            sequence.add(new int[] {id});
        }
        return sequence;
    }

    @Test
    void lruEvictsTheHotExpertWhenTwoOneOffExpertsFollowIt() {
        // C = 2: 0m 1m 0h 2m(evict 1) 3m(evict 0, used before 2) 0m 4m 5m 0m -> only token 2 hits
        assertThat(ExpertCacheSimulator.simulate(HOT_AND_SCAN, 6, 2, CachePolicy.LRU).hits())
                .containsExactly(0, 0, 1, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void lfuKeepsTheHotExpertResident() {
        // C = 2: expert 0 has the most uses from token 2 on, so each one-off expert evicts the previous one
        assertThat(ExpertCacheSimulator.simulate(HOT_AND_SCAN, 6, 2, CachePolicy.LFU).hits())
                .containsExactly(0, 0, 1, 0, 0, 1, 0, 0, 1);
    }

    @Test
    void beladyEvictsTheExpertNeededFarthestInTheFuture() {
        // 0 1 2 0 1 3 0, C = 2: at 2 evict 1 (next at 4, 0 next at 3); 0 hits; at 1 evict 2 (never again);
        // at 3 evict 1 (never again); 0 hits -> 2 hits of 7 where LRU gets none
        List<int[]> sequence = top1(0, 1, 2, 0, 1, 3, 0);
        assertThat(ExpertCacheSimulator.simulate(sequence, 4, 2, CachePolicy.BELADY).hits())
                .containsExactly(0, 0, 0, 1, 0, 0, 1);
        assertThat(ExpertCacheSimulator.simulate(sequence, 4, 2, CachePolicy.LRU).hitRate()).isZero();
    }

    @Test
    void beladyIsAnUpperBoundForLruAndLfu() {
        var random = new Random(42);
        var sequence = new ArrayList<int[]>();
        for (int t = 0; t < 500; t++) {
            int a = random.nextInt(8);
            sequence.add(new int[] {a, (a + 1 + random.nextInt(7)) % 8});
        }
        for (int c = 1; c <= 8; c++) {
            double belady = ExpertCacheSimulator.simulate(sequence, 8, c, CachePolicy.BELADY).hitRate();
            assertThat(belady).as("C = %d", c)
                    .isGreaterThanOrEqualTo(ExpertCacheSimulator.simulate(sequence, 8, c, CachePolicy.LRU).hitRate())
                    .isGreaterThanOrEqualTo(ExpertCacheSimulator.simulate(sequence, 8, c, CachePolicy.LFU).hitRate());
        }
    }

    @Test
    void aCacheHoldingEveryExpertMissesOnlyOnFirstUse() {
        // 9 accesses of 6 distinct experts: 3 hits for every policy
        for (CachePolicy policy : CachePolicy.values()) {
            assertThat(ExpertCacheSimulator.simulate(HOT_AND_SCAN, 6, 6, policy).hitRate()).as(policy.name())
                    .isEqualTo(3.0 / 9);
        }
    }

    @Test
    void aCacheSmallerThanKStillWorksAccessByAccess() {
        // C = 1 < k = 2: 0 evicts nothing, 1 evicts 0, 0 evicts 1, ...: never a hit
        var sequence = List.of(new int[] {0, 1}, new int[] {0, 1});
        assertThat(ExpertCacheSimulator.simulate(sequence, 2, 1, CachePolicy.LRU).hitRate()).isZero();
    }

    @Test
    void hitRateGrowsWithCacheSize() {
        double[] rates = ExpertCacheSimulator.hitRateByCapacity(HOT_AND_SCAN, 6, CachePolicy.LRU, 1, 2, 6);
        // C = 1: no two consecutive tokens repeat -> 0; C = 2: 1/9; C = 6: 3/9
        assertThat(rates).containsExactly(0.0, 1.0 / 9, 3.0 / 9);
    }

    @Test
    void aSingleTokenIsAllColdStart() {
        assertThat(ExpertCacheSimulator.simulate(top1(3), 4, 2, CachePolicy.BELADY).hitRate()).isZero();
    }

    @Test
    void theHitRateOfAnEmptySequenceIsRefused() {
        var trace = ExpertCacheSimulator.simulate(List.of(), 4, 2, CachePolicy.LRU);
        assertThatThrownBy(trace::hitRate).hasMessage("hit rate is undefined for an empty token range");
    }

    @Test
    void aZeroCapacityIsRefused() {
        assertThatThrownBy(() -> ExpertCacheSimulator.simulate(HOT_AND_SCAN, 6, 0, CachePolicy.LRU))
                .hasMessage("cache capacity must be >= 1 but was 0");
    }

    @Test
    void anExpertIdOutOfRangeIsRefused() {
        assertThatThrownBy(() -> ExpertCacheSimulator.simulate(top1(0, 6), 6, 2, CachePolicy.LRU))
                .hasMessage("token 1: expert id 6 out of range for 6 experts");
    }
}
