package io.moescope.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.traces.importer.ImportOptions;
import io.moescope.traces.importer.ImportProgress;
import io.moescope.traces.importer.ImportReport;
import io.moescope.traces.importer.TraceImport;
import io.moescope.traces.replay.Replay;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 "Scale": import and replay stream, so the heap stays flat however many rows go through. Ten million
 * (token, layer) rows, 32 layers per token: 312,500 tokens. The heap in use after a full GC is sampled every million
 * rows; after the first sample (which includes everything loaded once) it may not grow by more than
 * {@value #GROWTH_LIMIT_MB} MB, far less than the ~1 GB of text or the ~100+ MB its tokens would take if kept. The rows are generated
 * as the importer reads them (no file on disk): the importer streams from any {@link io.moescope.traces.importer.TraceSource}.
 * Rows/s figures come from {@link ImportBenchmark}, not from here.
 */
class FlatMemoryTest {

    private static final long ROWS = Long.getLong("moescope.scale.rows", 10_000_000L);
    private static final long SAMPLE_EVERY = 1_000_000L;
    private static final long GROWTH_LIMIT_MB = 16;

    @Test
    void importingTenMillionRowsKeepsTheHeapFlat() throws Exception {
        var sink = new HookTraces.CountingSink();
        var heap = new HeapSamples();
        ImportProgress progress = rows -> heap.sampleWhenPast(rows);

        ImportReport report = new TraceImport(Clock.systemUTC()).importFrom(HookTraces.source(ROWS), ImportOptions.defaults(), sink,
                progress);

        assertThat(report.rowsRead()).isEqualTo(ROWS);
        assertThat(report.rowsRejected()).isZero();
        assertThat(sink.decisions).isEqualTo(ROWS);
        assertThat(sink.tokens).isEqualTo(ROWS / HookTraces.LAYERS);
        heap.assertFlat();
    }

    @Test
    void replayingTenMillionDecisionsKeepsTheHeapFlat() {
        long tokens = ROWS / HookTraces.LAYERS;
        var sink = new HookTraces.CountingSink();
        var heap = new HeapSamples();
        var model = new ModelIdentity("scale", "MixtralForCausalLM", 8, 2, HookTraces.LAYERS,
                java.util.stream.IntStream.range(0, HookTraces.LAYERS).boxed().toList(), 1, 1);

        Replay.Result result = new Replay(Clock.systemUTC(), Replay.realTime()).run("replay-scale",
                new Replay.Copy("scale", model, null), new GeneratedTokens(tokens), 0, sink, () -> false,
                sent -> heap.sampleWhenPast(sent * HookTraces.LAYERS));

        assertThat(result.tokensSent()).isEqualTo(tokens);
        assertThat(sink.decisions).isEqualTo(ROWS);
        heap.assertFlat();
    }

    /** Heap in use after a full GC, once per million rows. */
    private static final class HeapSamples {
        private final List<Long> usedMb = new ArrayList<>();
        private long next = SAMPLE_EVERY;

        void sampleWhenPast(long rows) {
            if (rows >= next) {
                next += SAMPLE_EVERY;
                System.gc();
                usedMb.add(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
            }
        }

        void assertFlat() {
            assertThat(usedMb).as("one sample per million rows").hasSize((int) (ROWS / SAMPLE_EVERY));
            long first = usedMb.get(0);
            long max = usedMb.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(max - first).as("heap growth in MB after the first million rows, samples %s", usedMb)
                    .isLessThanOrEqualTo(GROWTH_LIMIT_MB);
        }
    }

    /** Tokens made up on demand, 32 top-2 decisions each: a stored run's cursor without the database. */
    private static final class GeneratedTokens implements Iterator<TokenRouting> {
        private final long total;
        private long next;

        GeneratedTokens(long total) {
            this.total = total;
        }

        @Override
        public boolean hasNext() {
            return next < total;
        }

        @Override
        public TokenRouting next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            long t = next++;
            var decisions = new ArrayList<RouterDecision>(HookTraces.LAYERS);
            for (int layer = 0; layer < HookTraces.LAYERS; layer++) {
                int a = (int) ((t + layer) % 8);
                decisions.add(new RouterDecision(layer, new int[] {a, (a + 1) % 8}, new float[] {0.6f, 0.4f},
                        Float.NaN));
            }
            return new TokenRouting("source", "req-" + t / HookTraces.TOKENS_PER_REQUEST,
                    (int) (t % HookTraces.TOKENS_PER_REQUEST), 100, Phase.DECODE, t, decisions);
        }
    }
}
