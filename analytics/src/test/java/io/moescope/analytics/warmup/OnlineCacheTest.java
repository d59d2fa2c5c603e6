package io.moescope.analytics.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OnlineCacheTest {

    @Test
    void lastEvictedNamesTheLeastRecentlyUsedExpertUnderLru() {
        var cache = new OnlineCache(4, 2, false);
        cache.access(0);
        cache.access(1);
        cache.access(0);

        assertThat(cache.access(2)).isFalse();
        assertThat(cache.lastEvicted()).isEqualTo(1);
        assertThat(cache.access(0)).isTrue();
        assertThat(cache.lastEvicted()).isEqualTo(OnlineCache.NONE);
    }

    @Test
    void lastEvictedNamesTheLeastFrequentlyUsedExpertUnderLfu() {
        var cache = new OnlineCache(4, 2, true);
        cache.access(0);
        cache.access(0);
        cache.access(1);

        cache.access(2);

        assertThat(cache.lastEvicted()).isEqualTo(1);
    }

    @Test
    void aRemovedExpertMissesAndFreesItsPlace() {
        var cache = new OnlineCache(4, 2, false);
        cache.access(0);
        cache.access(1);

        cache.remove(1);

        assertThat(cache.access(2)).isFalse();
        assertThat(cache.lastEvicted()).isEqualTo(OnlineCache.NONE);
        assertThat(cache.access(1)).isFalse();
        assertThat(cache.lastEvicted()).isEqualTo(0);
    }
}
