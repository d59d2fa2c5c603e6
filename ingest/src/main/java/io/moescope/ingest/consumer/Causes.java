package io.moescope.ingest.consumer;

/** Looks through an exception's causes: the error handler wraps what a listener throws, often twice. */
final class Causes {

    private Causes() {
    }

    /** The first of {@code exception} and its causes that is a {@code type}, or null. */
    static <T extends Throwable> T find(Throwable exception, Class<T> type) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
