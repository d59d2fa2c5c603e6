package io.moescope.ingest.monitoring;

/** The Kafka consumer group of ingest when {@code spring.kafka.consumer.group-id} does not name one. */
public final class IngestGroup {

    public static final String DEFAULT_GROUP_ID = "moescope-ingest";

    private IngestGroup() {
    }
}
