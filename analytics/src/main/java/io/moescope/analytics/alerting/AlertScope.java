package io.moescope.analytics.alerting;

/** What one evaluation of a rule looks at, within one run's window. */
public enum AlertScope {
    /** Each MoE layer separately (subject "run/layer L"); a rule may name one layer. */
    LAYER,
    /** The model: the worst layer's value (subject "run"). */
    MODEL,
    /** The run's load pooled over all layers (counts summed; subject "run"). */
    RUN
}
