package io.moescope.analytics.evidence;

import io.moescope.analytics.evidence.Defined;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A figure that may be undefined for a token set (no consecutive pair, no repeated token id, an empty window):
 * either a value, or null with the reason, so that JSON never carries NaN and a reader knows why a value is missing.
 *
 * @param value  the figure, or null
 * @param reason why there is no value; null when there is one
 */
public record Defined<T>(T value, String reason) {

    public static <T> Defined<T> of(T value) {
        return new Defined<>(value, null);
    }

    public static <T> Defined<T> undefined(String reason) {
        return new Defined<>(null, reason);
    }

    /**
     * The supplier's value, or undefined with its message when the metric core refuses the input
     * (IllegalArgumentException is how the core says "undefined for this set").
     */
    public static <T> Defined<T> compute(Supplier<T> figure) {
        try {
            return of(figure.get());
        } catch (IllegalArgumentException e) {
            return undefined(e.getMessage());
        }
    }

    /** A figure computed from this one's value as {@link #compute} does, or undefined with this one's reason. */
    public <U> Defined<U> map(Function<T, U> next) {
        return value == null ? undefined(reason) : compute(() -> next.apply(value));
    }
}
