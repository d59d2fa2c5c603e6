package io.moescope.benchmarks.ingest;

import io.moescope.events.EventCodec;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.TimestampType;

/**
 * The routing topic's wire compression, side by side on this machine: for lz4, zstd and none, the bytes per decision
 * of Kafka record batches of the run's records, the CPU to build them (the producer's side) and to read every record's
 * value out of them again (what the broker's validation and each consumer do with a compressed batch). On one host
 * the probe, the broker and ingest share the cores, so the choice is the codec with the least CPU in all, unless its
 * bytes would fill the disk or the network first. Thread CPU time over the timed rounds, after untimed ones.
 */
final class WireCompression {

    /** Records per batch: the probe's 256 KiB batch.size holds about this many 32-layer tokens before compression. */
    private static final int RECORDS_PER_BATCH = 700;
    private static final int WARM_UP_ROUNDS = 4;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    void measure(SyntheticRun run, int rounds, PrintStream out) {
        EventCodec codec = new EventCodec();
        List<byte[]> records = new ArrayList<>((int) run.tokens());
        for (long t = 0; t < run.tokens(); t++) {
            records.add(codec.encode(run.token(t)));
        }
        double millions = run.decisions() * (double) rounds / 1e6;
        out.printf("  routing topic compression, record batches of %d tokens, %d rounds (CPU s per million"
                + " decisions):%n", RECORDS_PER_BATCH, rounds);
        for (var named : List.of(new Named("none", Compression.NONE), new Named("lz4", Compression.lz4().build()),
                new Named("zstd", Compression.zstd().build()))) {
            long write = 0;
            long read = 0;
            long bytes = 0;
            for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
                long t0 = threads.getCurrentThreadCpuTime();
                List<MemoryRecords> batches = batches(records, named.compression());
                long t1 = threads.getCurrentThreadCpuTime();
                long values = readValues(batches);
                long t2 = threads.getCurrentThreadCpuTime();
                if (values != records.size()) {
                    throw new IllegalStateException(named.name() + " lost records");
                }
                if (round >= WARM_UP_ROUNDS) {
                    write += t1 - t0;
                    read += t2 - t1;
                    bytes += batches.stream().mapToLong(MemoryRecords::sizeInBytes).sum();
                }
            }
            out.printf("    %-5s %6.2f B/decision   build %.4f   read %.4f   build + 2 reads (producer, broker,"
                    + " consumer) %.4f%n", named.name(), bytes / (millions * 1e6), write / 1e9 / millions,
                    read / 1e9 / millions, (write + 2 * read) / 1e9 / millions);
        }
    }

    private record Named(String name, Compression compression) {
    }

    private static List<MemoryRecords> batches(List<byte[]> records, Compression compression) {
        var batches = new ArrayList<MemoryRecords>();
        for (int from = 0; from < records.size(); from += RECORDS_PER_BATCH) {
            int to = Math.min(records.size(), from + RECORDS_PER_BATCH);
            MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(512 * 1024), compression,
                    TimestampType.CREATE_TIME, from);
            for (int i = from; i < to; i++) {
                builder.append(i, null, records.get(i));
            }
            batches.add(builder.build());
        }
        return batches;
    }

    /** Every record's value copied out, as the consumer's byte-array deserializer does; the number of records. */
    private static long readValues(List<MemoryRecords> batches) {
        long count = 0;
        long check = 0;
        for (MemoryRecords batch : batches) {
            for (Record record : batch.records()) {
                byte[] value = new byte[record.valueSize()];
                record.value().get(value);
                check += value[value.length - 1];
                count++;
            }
        }
        return check == Long.MIN_VALUE ? -1 : count;
    }
}
