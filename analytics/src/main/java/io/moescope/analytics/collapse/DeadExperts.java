package io.moescope.analytics.collapse;

import io.moescope.analytics.load.ExpertLoad;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Experts the router (almost) never picks over a token set (docs/metrics.md, "Collapse"): expert i is dead when
 * {@code p_i < tau * (1/N)}. No published standard threshold exists, so tau is a parameter (default
 * {@value #DEFAULT_TAU}). Experts with {@code c_i == 0} are listed separately, because "never chosen" is a stronger
 * statement than "rarely chosen"; they are also part of {@link #dead()}.
 *
 * @param layer       decoder layer index
 * @param tau         the threshold as a fraction of the uniform share
 * @param threshold   tau / N, the share below which an expert counts as dead
 * @param dead        ids with p_i &lt; tau/N, ascending (includes the never-chosen ones)
 * @param neverChosen ids with c_i == 0, ascending
 */
public record DeadExperts(int layer, double tau, double threshold, int[] dead, int[] neverChosen) {

    public static final double DEFAULT_TAU = 0.1;

    public DeadExperts {
        dead = dead.clone();
        neverChosen = neverChosen.clone();
    }

    /** With the default tau = 0.1. */
    public static DeadExperts of(ExpertLoad load) {
        return of(load, DEFAULT_TAU);
    }

    /**
     * @param tau fraction of the uniform share 1/N, in [0, 1]
     * @throws IllegalArgumentException when tau is out of range or no token was routed (all shares would be 0,
     *                                  so every expert would look dead for want of data)
     */
    public static DeadExperts of(ExpertLoad load, double tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1] but was " + tau);
        }
        if (load.total() == 0) {
            throw new IllegalArgumentException("dead experts are undefined for layer " + load.layer()
                    + ": no routed tokens");
        }
        long[] counts = load.counts();
        double[] shares = load.shares();
        double threshold = tau / counts.length;
        int[] dead = IntStream.range(0, counts.length).filter(i -> shares[i] < threshold).toArray();
        int[] never = IntStream.range(0, counts.length).filter(i -> counts[i] == 0).toArray();
        return new DeadExperts(load.layer(), tau, threshold, dead, never);
    }

    public int deadCount() {
        return dead.length;
    }

    @Override
    public int[] dead() {
        return dead.clone();
    }

    @Override
    public int[] neverChosen() {
        return neverChosen.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadExperts other && layer == other.layer && Double.compare(tau, other.tau) == 0
                && Arrays.equals(dead, other.dead) && Arrays.equals(neverChosen, other.neverChosen);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * layer + Arrays.hashCode(dead)) + Arrays.hashCode(neverChosen);
    }

    @Override
    public String toString() {
        return "DeadExperts[layer=" + layer + ", tau=" + tau + ", dead=" + Arrays.toString(dead) + ", neverChosen="
                + Arrays.toString(neverChosen) + "]";
    }
}
