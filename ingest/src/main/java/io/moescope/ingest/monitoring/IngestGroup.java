package io.moescope.ingest.monitoring;

/** The Kafka consumer groups of ingest: routing under {@code spring.kafka.consumer.group-id} or this default. */
public final class IngestGroup {

    public static final String DEFAULT_GROUP_ID = "moescope-ingest";
    /** Appended to the routing group's id for the run lifecycle listener's group. */
    public static final String RUNS_GROUP_SUFFIX = "-runs";

    private IngestGroup() {
    }
}
