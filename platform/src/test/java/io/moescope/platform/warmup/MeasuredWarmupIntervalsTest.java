package io.moescope.platform.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.moescope.analytics.evidence.Defined;
import io.moescope.analytics.evidence.Interval;
import io.moescope.platform.EmbeddedPlatformTest;
import io.moescope.platform.StoredRuns;
import java.sql.Timestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The measured cache of a run of two requests at one layer, C = 2 (LRU). q1: step 0 misses experts 0 and 1, step 1
 * hits both (2 hits of 4); q2: step 0 misses 2 and 3, step 1 hits 2 and misses 0 (1 hit of 4). Hit rate 3 / 8.
 */
@TestPropertySource(properties = "moescope.demo.enabled=false")
class MeasuredWarmupIntervalsTest extends EmbeddedPlatformTest {

    /** The normal 95 % interval's half-width in standard errors, as RatioOfSums takes it. */
    private static final double Z = 1.96;

    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private MeasuredWarmupService service;

    @BeforeEach
    void storeRunWithCacheAccesses() {
        if (jdbc.queryForObject("SELECT count(*) FROM run WHERE run_id = 'cached'", Long.class) > 0) {
            return;
        }
        new StoredRuns(jdbc).store("cached", "cached", 4, 0, new int[][][] {{{0}}, {{0}}, {{2}}, {{2}}}, 2);
        access("q1", 0, 0, 0, false);
        access("q1", 0, 1, 1, false);
        access("q1", 1, 0, 0, true);
        access("q1", 1, 1, 1, true);
        access("q2", 0, 2, 0, false);
        access("q2", 0, 3, 1, false);
        access("q2", 1, 2, 0, true);
        access("q2", 1, 0, 1, false);
    }

    private void access(String request, int tokenIndex, int expert, int order, boolean hit) {
        jdbc.update("INSERT INTO expert_cache_access VALUES ('cached', ?, ?, 1, 0, ?, ?, ?, ?, ?, NULL, 2, 'LRU', ?)",
                request, tokenIndex, expert, order, hit, hit ? 0L : 1000L, hit ? 0L : 5000L,
                Timestamp.from(StoredRuns.T0));
    }

    private MeasuredWarmup.Layer layer0() {
        return service.warmup("cached").orElseThrow().layers().get(0);
    }

    /** Resampled, the layer's hit rate runs from q2's alone (1/4) to q1's alone (1/2). */
    @Test
    void aLayersMeasuredHitRateHasAnIntervalOverRequests() {
        MeasuredWarmup.Layer layer = layer0();

        assertThat(layer.hitRate()).isEqualTo(0.375);
        assertThat(layer.hitRateInterval95()).isEqualTo(Defined.of(new Interval(0.25, 0.5, 0.95,
                "bootstrap over 2 requests", 2)));
    }

    /**
     * Token 0: both requests 0 of 2, no spread. Token 1: 2 of 2 and 1 of 2, R = 3/4, residuals +-0.5: variance
     * 2 * 0.5 / 4^2, half-width z / 4; the upper end is clipped to 1.
     */
    @Test
    void eachMeasuredCurvePointHasAnIntervalOverTheRequestsWithAStepThere() {
        var curve = layer0().curve();

        assertThat(curve.get(0).hitRateInterval95()).isEqualTo(Defined.of(new Interval(0.0, 0.0, 0.95,
                "normal approximation over 2 requests (ratio of sums, linearised)",
                2)));
        assertThat(curve.get(1).hitRate()).isEqualTo(0.75);
        Interval atToken1 = curve.get(1).hitRateInterval95().value();
        assertThat(atToken1.low()).isCloseTo(0.75 - Z / 4, within(1e-12));
        assertThat(atToken1.high()).isEqualTo(1.0);
    }
}
