package io.moescope.traces.importer;

import java.util.Arrays;

/** Gate weights of traces that record expert ids only: NaN says "unknown", never a made-up value. */
final class Weights {

    private Weights() {
    }

    static float[] unknown(int k) {
        float[] weights = new float[k];
        Arrays.fill(weights, Float.NaN);
        return weights;
    }
}
