package io.moescope.probe.bench;

import io.moescope.events.RunLifecycle;
import io.moescope.events.TokenRouting;
import io.moescope.probe.importer.ImportOptions;
import io.moescope.probe.importer.ImportReport;
import io.moescope.probe.importer.TraceImport;
import io.moescope.probe.run.RoutingSink;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;

/**
 * Not a test: generates a vLLM-hook trace of ROWS (token, layer) rows (default 10 million; 32 layers, top-2 of 8,
 * requests of 200 tokens) and imports it into a sink that drops tokens, printing rows/s and the heap in use after a
 * GC every million rows, to show that memory stays flat. Run with the test classpath and a small heap, e.g.
 * {@code java -Xmx256m -cp ... io.moescope.probe.bench.ImportBenchmark [rows] [file]}.
 */
public final class ImportBenchmark {

    private static final int LAYERS = 32;
    private static final int TOKENS_PER_REQUEST = 200;

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path file = args.length > 1 ? Path.of(args[1]) : Files.createTempFile("moescope-bench", ".jsonl");
        long start = System.nanoTime();
        generate(file, rows);
        System.out.printf("generated %,d rows (%,d MB) in %.1f s%n", rows, Files.size(file) >> 20,
                (System.nanoTime() - start) / 1e9);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] nextSample = {1_000_000};
        long importStart = System.nanoTime();
        ImportReport report = new TraceImport(Clock.systemUTC()).importFile(file, ImportOptions.defaults(),
                new DroppingSink(), read -> {
                    if (read >= nextSample[0]) {
                        nextSample[0] += 1_000_000;
                        System.gc();
                        System.out.printf("  %,12d rows  heap used after GC %,d MB%n", read,
                                memory.getHeapMemoryUsage().getUsed() >> 20);
                    }
                });
        double seconds = (System.nanoTime() - importStart) / 1e9;
        System.out.printf("imported %,d rows -> %,d tokens (%,d decisions), %d rejected, %d gaps in %.1f s: "
                        + "%,.0f rows/s (both passes; the file is read twice)%n", report.rowsRead(),
                report.tokensImported(), report.decisionsImported(), report.rowsRejected(), report.gaps(), seconds,
                report.rowsRead() / seconds);
        System.out.printf("max heap %,d MB%n", Runtime.getRuntime().maxMemory() >> 20);
        if (args.length < 2) {
            Files.delete(file);
        }
    }

    private static void generate(Path file, long rows) throws Exception {
        var random = new Random(42);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long row = 0;
            for (int request = 0; row < rows; request++) {
                for (int token = 0; token < TOKENS_PER_REQUEST && row < rows; token++) {
                    for (int layer = 0; layer < LAYERS && row < rows; layer++, row++) {
                        int a = random.nextInt(8);
                        int b = (a + 1 + random.nextInt(7)) % 8;
                        float w = 0.5f + random.nextInt(500) / 1000f;
                        out.write("{\"dataset\":\"bench\",\"problem_id\":" + request + ",\"layer\":" + layer
                                + ",\"token_idx\":" + token + ",\"experts\":[" + a + "," + b + "],\"gating_probs\":["
                                + w + "," + (1 - w) + "]}\n");
                    }
                }
            }
        }
    }

    /** Counts nothing, keeps nothing: the benchmark measures the importer. */
    private static final class DroppingSink implements RoutingSink {
        @Override
        public void runStarted(RunLifecycle run) {
        }

        @Override
        public void token(TokenRouting token) {
        }

        @Override
        public void runFinished(RunLifecycle run) {
        }

        @Override
        public void close() {
        }
    }
}
