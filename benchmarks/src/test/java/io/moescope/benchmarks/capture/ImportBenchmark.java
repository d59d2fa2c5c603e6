package io.moescope.benchmarks.capture;

import io.moescope.traces.importer.ImportOptions;
import io.moescope.traces.importer.ImportReport;
import io.moescope.traces.importer.TraceImport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Not a test: generates a vLLM-hook trace of ROWS (token, layer) rows (default 10 million; 32 layers, top-2 of 8,
 * requests of 200 tokens) and imports it into a sink that drops tokens, printing rows/s and the heap in use after a
 * GC every million rows, to show that memory stays flat. Run with the test classpath and a small heap, e.g.
 * {@code java -Xmx256m -cp ... io.moescope.benchmarks.capture.ImportBenchmark [rows] [file]}.
 */
public final class ImportBenchmark {

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path file = args.length > 1 ? Path.of(args[1]) : Files.createTempFile("moescope-bench", ".jsonl");
        long start = System.nanoTime();
        HookTraces.generate(file, rows);
        System.out.printf("generated %,d rows (%,d MB) in %.1f s%n", rows, Files.size(file) >> 20,
                (System.nanoTime() - start) / 1e9);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long[] nextSample = {1_000_000};
        long importStart = System.nanoTime();
        ImportReport report = new TraceImport(Clock.systemUTC()).importFile(file, ImportOptions.defaults(),
                new HookTraces.CountingSink(), read -> {
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
}
