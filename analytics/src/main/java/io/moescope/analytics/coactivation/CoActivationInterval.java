package io.moescope.analytics.coactivation;

/**
 * The 95 % intervals of one layer's co-activation matrix, cell by cell ({@link CoActivationIntervals}).
 *
 * @param low         {@code [a][b]}: lower bound of CoAct(a, b); row a is null where expert a was chosen in fewer
 *                    than 2 units, which leaves no spread between units to measure
 * @param high        {@code [a][b]}: upper bound, null rows alike
 * @param level       coverage, 0.95
 * @param method      how, over which units, e.g. "normal approximation over 12 requests (ratio of sums, linearised)"
 * @param units       units with a token routed at the layer
 * @param unitsChosen per expert a, the units in which a was chosen: what row a's intervals rest on
 */
public record CoActivationInterval(double[][] low, double[][] high, double level, String method, int units,
                                   int[] unitsChosen) {
}
