package io.moescope.events;

import java.util.Locale;

/**
 * The largest workload a run may record: one {@link RunWorkload} travels as one Kafka record on
 * {@link Topics#WORKLOADS}, and Kafka's defaults stop a record at about 1 MB, which 500 prompts of 2 kB already pass.
 *
 * <p>16 MiB: 8,000 prompts of 2 kB, or the texts of a 250k-token vocabulary several times over. It stays inside the
 * probe producer's default 32 MiB send buffer with room for the routing records beside it, and within the ingest
 * consumer's 16 MiB partition fetch; a replay downloads the workload as one JSON document, so it should stay a size a
 * browser and the CLI hold in memory without thought. Larger prompt sets go in several runs.
 *
 * @param maxBytes the largest encoded workload (Avro bytes, before compression) a run may send
 */
public record WorkloadLimit(int maxBytes) {

    /** The limit the probe, the topic and the embedded broker are configured for. */
    public static final WorkloadLimit DEFAULT = new WorkloadLimit(16 * 1024 * 1024);

    /**
     * What Kafka must accept for a workload at the limit: the value plus the record's key, headers and batch
     * framing (a few hundred bytes; 64 KiB leaves no doubt). Producer {@code max.request.size} and topic/broker
     * {@code max.message.bytes}/{@code message.max.bytes} are set to this.
     */
    public static final int KAFKA_RECORD_BYTES = DEFAULT.maxBytes() + 64 * 1024;

    public WorkloadLimit {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("a workload limit must be positive, got " + maxBytes + " bytes");
        }
    }

    /**
     * Throws when the workload's encoding is larger than the limit, with its size, the limit and what to do.
     *
     * @param encodedBytes the size of {@link WorkloadCodec#encode} of {@code workload}
     */
    public void require(RunWorkload workload, long encodedBytes) {
        if (encodedBytes > maxBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the workload of run %s is %,d bytes (%s) with %,d requests and %,d token texts, above the"
                            + " limit of %,d bytes (%s) for one run's recorded prompts; run fewer prompts per run"
                            + " (split the prompt file into several runs)",
                    workload.runId(), encodedBytes, mebibytes(encodedBytes), workload.requests().size(),
                    workload.tokenTexts().size(), (long) maxBytes, mebibytes(maxBytes)));
        }
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
