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
 * other Java threads (the in-process broker, clients) and the JVM's own threads, of which the JIT compilers' and the
 * garbage collector's are told apart by their names in /proc. Where that is not available the figures are -1.
 * Threads are counted while they live: a reading pair brackets work whose threads outlive it.
 */
final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /**
     * @param jvmSeconds      this whole process
     * @param childSeconds    the PostgreSQL server
     * @param consumerSeconds this process's ingest consumer threads (those named {@value #CONSUMER_THREADS}...)
     * @param javaSeconds     all of this process's live Java threads; the rest of {@code jvmSeconds} is the JVM's own
     *                        threads (JIT compilers, garbage collector), which Java cannot list
     * @param consumerKernelSeconds the part of {@code consumerSeconds} spent in the kernel (socket reads and writes)
     * @param jitSeconds      the JIT compiler threads (named C1/C2 CompilerThread), from /proc
     * @param gcSeconds       the garbage collector's threads (named GC Thread#n or G1 ...), from /proc
     * @param consumerAllocatedBytes heap the consumer threads allocated, what the garbage collector works for
     */
    record Reading(double jvmSeconds, double childSeconds, double consumerSeconds, double javaSeconds,
                   double consumerKernelSeconds, double jitSeconds, double gcSeconds,
                   double consumerAllocatedBytes) {
        static final Reading ZERO = new Reading(0, 0, 0, 0, 0, 0, 0, 0);

        Reading minus(Reading earlier) {
            return new Reading(jvmSeconds - earlier.jvmSeconds, childSeconds - earlier.childSeconds,
                    consumerSeconds - earlier.consumerSeconds, javaSeconds - earlier.javaSeconds,
                    consumerKernelSeconds - earlier.consumerKernelSeconds, jitSeconds - earlier.jitSeconds,
                    gcSeconds - earlier.gcSeconds, consumerAllocatedBytes - earlier.consumerAllocatedBytes);
        }

        Reading plus(Reading other) {
            return new Reading(jvmSeconds + other.jvmSeconds, childSeconds + other.childSeconds,
                    consumerSeconds + other.consumerSeconds, javaSeconds + other.javaSeconds,
                    consumerKernelSeconds + other.consumerKernelSeconds, jitSeconds + other.jitSeconds,
                    gcSeconds + other.gcSeconds, consumerAllocatedBytes + other.consumerAllocatedBytes);
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
        double consumersKernel = 0;
        double consumersAllocated = 0;
        double java = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = thread == null ? -1 : threads.getThreadCpuTime(thread.getThreadId());
            if (nanos > 0) { // -1: ended meanwhile, or CPU time not measured here
                java += nanos / 1e9;
                if (thread.getThreadName().startsWith(CONSUMER_THREADS)) {
                    consumers += nanos / 1e9;
                    long user = threads.getThreadUserTime(thread.getThreadId());
                    consumersKernel += user < 0 ? 0 : (nanos - user) / 1e9;
                    if (threads instanceof com.sun.management.ThreadMXBean heap) {
                        consumersAllocated += Math.max(0, heap.getThreadAllocatedBytes(thread.getThreadId()));
                    }
                }
            }
        }
        double jit = 0;
        double gc = 0;
        for (Path task : tasks()) {
            String name = threadName(task);
            if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                jit += Math.max(0, threadSeconds(task));
            } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                gc += Math.max(0, threadSeconds(task));
            }
        }
        double server = -1;
        if (postmaster != null) {
            server = Math.max(0, procSeconds(postmaster.pid()));
            for (ProcessHandle backend : postmaster.descendants().toList()) {
                server += Math.max(0, procSeconds(backend.pid()));
            }
        }
        return new Reading(jvm, server, consumers, java, consumersKernel, jit, gc, consumersAllocated);
    }

    /** This process's threads in /proc, none where there is no /proc. */
    private static java.util.List<Path> tasks() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.toList();
        } catch (IOException | RuntimeException e) {
            return java.util.List.of();
        }
    }

    /** A thread's name as the kernel keeps it (its first 15 bytes), or "" once it has ended. */
    private static String threadName(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** utime + stime + cutime + cstime of a process, in seconds; -1 if unknown. */
    private static double procSeconds(long pid) {
        long[] times = times(Path.of("/proc", String.valueOf(pid)));
        return times == null ? -1 : (times[0] + times[1] + times[2] + times[3]) / TICKS_PER_SECOND;
    }

    /** utime + stime of a thread ({@code /proc/self/task/TID}: its children's fields are the process's), or -1. */
    private static double threadSeconds(Path task) {
        long[] times = times(task);
        return times == null ? -1 : (times[0] + times[1]) / TICKS_PER_SECOND;
    }

    /** utime, stime, cutime, cstime in ticks from a {@code stat} file under {@code dir}; null if unknown. */
    private static long[] times(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14-17
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
