package io.moescope.ingest.copy;

import io.moescope.benchmarks.ingest.SyntheticRun;
import io.moescope.events.EventCodec;
import io.moescope.events.TokenRoutingReader;
import io.moescope.ingest.validation.RunModel;
import io.moescope.ingest.validation.TokenValidator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The CPU an ingest consumer thread spends per stage on a batch, without Kafka or PostgreSQL: decode the records into
 * the batch (which packs each token's routing on the way), validate against the run's model, the writer's own check
 * before its COPY, order by key, count the rollups, encode the COPY stream (into a sink that drops it). The stages
 * run on this thread over prepared Avro records in batches of {@code max.poll.records}, after untimed rounds for the
 * JIT compiler; each stage's thread CPU time is summed over the timed rounds and given per million decisions. Part
 * of {@code moescope bench-ingest}. In ingest's package because the stages it times are the writer's own
 * (package-private) steps, called here as the writer calls them.
 */
public final class ConsumerStages {

    /** The stages, in the order the listener and the writer run them. */
    private static final String[] STAGES = {"decode", "validate", "write check", "key order", "rollups", "COPY encode"};
    private static final int WARM_UP_ROUNDS = 6;

    private final TokenRoutingReader reader = new TokenRoutingReader(new EventCodec());
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * Measures the stages over {@code run}'s tokens and prints one line per stage.
     *
     * @param tokensPerBatch the ingest batch size (max.poll.records)
     * @param rounds         timed passes over the whole run
     */
    public void measure(SyntheticRun run, int tokensPerBatch, int rounds, PrintStream out) throws SQLException {
        EventCodec codec = new EventCodec();
        List<byte[]> records = new ArrayList<>((int) run.tokens());
        for (long t = 0; t < run.tokens(); t++) {
            records.add(codec.encode(run.token(t)));
        }
        RunModel model = RunModel.of(run.runId(), run.layers(), run.experts(), run.topK(),
                IntStream.range(0, run.layers()).boxed().toList(), "replay");
        TokenBatch batch = new TokenBatch(tokensPerBatch);
        long[] nanos = new long[STAGES.length];
        for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
            long[] roundNanos = new long[STAGES.length];
            for (int from = 0; from < records.size(); from += tokensPerBatch) {
                batchStages(records.subList(from, Math.min(records.size(), from + tokensPerBatch)), batch, model,
                        roundNanos);
            }
            if (round >= WARM_UP_ROUNDS) {
                for (int s = 0; s < nanos.length; s++) {
                    nanos[s] += roundNanos[s];
                }
            }
        }
        double millions = run.decisions() * (double) rounds / 1e6;
        long total = 0;
        out.printf("  consumer-side CPU per stage, one thread, batches of %,d tokens, %d rounds of %,d decisions"
                + " (s per million decisions):%n", tokensPerBatch, rounds, run.decisions());
        for (int s = 0; s < STAGES.length; s++) {
            out.printf("    %-12s %.4f%n", STAGES[s], nanos[s] / 1e9 / millions);
            total += nanos[s];
        }
        out.printf("    %-12s %.4f%n", "all", total / 1e9 / millions);
    }

    private void batchStages(List<byte[]> records, TokenBatch batch, RunModel model, long[] nanos)
            throws SQLException {
        long t0 = threads.getCurrentThreadCpuTime();
        batch.truncate(0);
        for (byte[] record : records) {
            reader.readInto(record, batch);
        }
        long t1 = threads.getCurrentThreadCpuTime();
        for (int t = 0; t < batch.size(); t++) {
            TokenValidator.check(batch.view(t), batch.wireRouting(t), model);
        }
        long t2 = threads.getCurrentThreadCpuTime();
        for (int t = 0; t < batch.size(); t++) {
            batch.routingLength(t); // what the writer checks before its COPY
        }
        long t2b = threads.getCurrentThreadCpuTime();
        int[] order = TokenRoutingCopyWriter.keyOrder(batch);
        long t3 = threads.getCurrentThreadCpuTime();
        BatchRollups rollups = BatchRollups.of(batch);
        long t4 = threads.getCurrentThreadCpuTime();
        long[] bytes = new long[1];
        // keys numbered in the batch, as the raw COPY does: their lookup is a statement, measured with the server
        TokenRoutingCopyWriter.encode(batch, order, BatchRequestKeys.numbered(batch),
                (b, offset, length) -> bytes[0] += length);
        long t5 = threads.getCurrentThreadCpuTime();
        if (rollups.decisions() != batch.decisions() || bytes[0] == 0) {
            throw new IllegalStateException("the stages lost tokens");
        }
        nanos[0] += t1 - t0;
        nanos[1] += t2 - t1;
        nanos[2] += t2b - t2;
        nanos[3] += t3 - t2b;
        nanos[4] += t4 - t3;
        nanos[5] += t5 - t4;
    }
}
