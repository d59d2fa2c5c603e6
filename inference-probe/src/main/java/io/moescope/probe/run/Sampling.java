package io.moescope.probe.run;

/**
 * How the next token is chosen.
 *
 * @param temperature 0 = greedy (highest logit); otherwise logits are divided by it before the softmax
 * @param topP        nucleus sampling: only the smallest set of tokens whose probability reaches topP is kept
 * @param seed        seed of the sampling; each request mixes in its id, so results do not depend on order
 */
public record Sampling(double temperature, double topP, long seed) {

    /** Far above any useful temperature (logits / 100 are near uniform): a larger value is a typo. */
    public static final double MAX_TEMPERATURE = 100;

    public static final Sampling GREEDY = new Sampling(0, 1, 0);

    public Sampling {
        if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw new IllegalArgumentException("temperature must be a number between 0 and " + (int) MAX_TEMPERATURE
                    + " but was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be a number in (0, 1] but was " + topP);
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
