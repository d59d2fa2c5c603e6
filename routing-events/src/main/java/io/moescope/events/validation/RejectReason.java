package io.moescope.events.validation;

import java.util.Locale;

/**
 * Why a record was not stored but dead-lettered: the {@code reason} tag of the dead-letter counter and the
 * {@code moescope-dlq-kind} header, so that a dashboard can tell a broken producer from a wrong model.
 */
public enum RejectReason {
    /** Not an Avro single-object message of a moescope schema, truncated, empty. */
    UNDECODABLE,
    /** A schema (fingerprint or {@code schemaVersion}) this build does not read. */
    UNKNOWN_SCHEMA,
    /** A layer index beyond the run's model, or a layer without a router. */
    LAYER_OUT_OF_RANGE,
    /** An expert id {@code >= numExperts} of the run's model. */
    EXPERT_OUT_OF_RANGE,
    /** A layer that chose a different number of experts than the run's {@code top_k}. */
    TOP_K_MISMATCH,
    /** A gate weight that is NaN, infinite or negative. */
    INVALID_WEIGHT,
    /** A router entropy that is infinite or negative. */
    INVALID_ENTROPY,
    /** The same expert twice among one layer's top-k. */
    DUPLICATE_EXPERT,
    /** Valid as an event but not as a row: mixed k across layers, repeated layers, NUL characters, overflow. */
    NOT_STORABLE;

    /** The metric tag and header value: lower case with dashes, e.g. {@code expert-out-of-range}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
