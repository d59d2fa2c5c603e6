package io.moescope.probe.checkpoint;

/** The three matrices of a SwiGLU feed-forward: {@code down(silu(gate x) * up x)}. */
public enum Projection {
    GATE("gate_proj", "w1"),
    UP("up_proj", "w3"),
    DOWN("down_proj", "w2");

    private final String hfName;
    private final String mixtralName;

    Projection(String hfName, String mixtralName) {
        this.hfName = hfName;
        this.mixtralName = mixtralName;
    }

    /** Name in Llama-style modules ({@code gate_proj}, ...). */
    public String hfName() {
        return hfName;
    }

    /** Name inside a Mixtral expert ({@code w1}, {@code w3}, {@code w2}). */
    public String mixtralName() {
        return mixtralName;
    }
}
