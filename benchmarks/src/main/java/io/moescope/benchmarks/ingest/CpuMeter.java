package io.moescope.benchmarks.ingest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM and by a local PostgreSQL server (its postmaster, found by the port on its command
 * line, and every process under it: backends, including those that have exited, through the postmaster's
 * reaped-children time), from Linux's /proc, and how this JVM's share splits between the ingest consumer threads, its
 * other Java threads (the in-process broker, clients) and the JVM's own threads. Where that is not available the
 * figures are -1. Threads are counted while they live: a reading pair brackets work whose threads outlive it.
 */
final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /**
     * @param jvmSeconds      this whole process
     * @param childSeconds    the PostgreSQL server
     * @param consumerSeconds this process's ingest consumer threads (those named {@value #CONSUMER_THREADS}...)
     * @param javaSeconds     all of this process's live Java threads; the rest of {@code jvmSeconds} is the JVM's own
     *                        threads (JIT compilers, garbage collector), which Java cannot list
     */
    record Reading(double jvmSeconds, double childSeconds, double consumerSeconds, double javaSeconds) {
        static final Reading ZERO = new Reading(0, 0, 0, 0);

        Reading minus(Reading earlier) {
            return new Reading(jvmSeconds - earlier.jvmSeconds, childSeconds - earlier.childSeconds,
                    consumerSeconds - earlier.consumerSeconds, javaSeconds - earlier.javaSeconds);
        }

        Reading plus(Reading other) {
            return new Reading(jvmSeconds + other.jvmSeconds, childSeconds + other.childSeconds,
                    consumerSeconds + other.consumerSeconds, javaSeconds + other.javaSeconds);
        }
    }

    /** The prefix of the routing listener's consumer threads (Spring Kafka names them after the listener id). */
    static final String CONSUMER_THREADS = "moescope-ingest-routing";

    private final ProcessHandle postmaster;

    /** @param postgresPort the port of a PostgreSQL server on this machine, or -1 */
    CpuMeter(int postgresPort) {
        String port = String.valueOf(postgresPort);
        this.postmaster = postgresPort <= 0 ? null : ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(args -> {
                    for (int i = 0; i + 1 < args.length; i++) {
                        if (args[i].equals("-p") && args[i + 1].equals(port)) {
                            return true;
                        }
                    }
                    return false;
                }).orElse(false))
                .findFirst().orElse(null);
    }

    Reading read() {
        double jvm = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            jvm = os.getProcessCpuTime() / 1e9;
        }
        double consumers = 0;
        double java = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = thread == null ? -1 : threads.getThreadCpuTime(thread.getThreadId());
            if (nanos > 0) { // -1: ended meanwhile, or CPU time not measured here
                java += nanos / 1e9;
                if (thread.getThreadName().startsWith(CONSUMER_THREADS)) {
                    consumers += nanos / 1e9;
                }
            }
        }
        double server = -1;
        if (postmaster != null) {
            server = Math.max(0, procSeconds(postmaster.pid()));
            for (ProcessHandle backend : postmaster.descendants().toList()) {
                server += Math.max(0, procSeconds(backend.pid()));
            }
        }
        return new Reading(jvm, server, consumers, java);
    }


    /** utime + stime + cutime + cstime of a process, in seconds; -1 if unknown. */
    private static double procSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
