package io.moescope.events;

/** Kafka topic names shared by every producer and consumer of moescope events. */
public final class Topics {

    /** {@link TokenRouting} records, keyed by run id + request id. */
    public static final String ROUTING = "moescope.routing";

    /** {@link RunLifecycle} records, keyed by run id. */
    public static final String RUNS = "moescope.runs";

    /** {@link ExpertCacheStep} records (expert offloading hits, misses, load times), keyed by run id + request id. */
    public static final String EXPERT_CACHE = "moescope.expert-cache";

    /**
     * {@link ExpertCounts} records: the steps of aggregate-only runs (sources that count choices without recording
     * tokens), keyed by run id.
     */
    public static final String EXPERT_COUNTS = "moescope.expert-counts";

    /** {@link RunWorkload} records (a probe run's prompts and generation parameters), keyed by run id. */
    public static final String WORKLOADS = "moescope.workloads";

    /** Routing records that could not be decoded or validated, with the reason in a header. */
    public static final String ROUTING_DEAD_LETTER = "moescope.routing.dlq";

    private Topics() {
    }
}
