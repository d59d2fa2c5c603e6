package io.moescope.traces.delivery;

/** One encoded record on its way to Kafka. */
record Envelope(String topic, String key, byte[] value) {
}
