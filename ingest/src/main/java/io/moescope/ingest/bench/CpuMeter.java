package io.moescope.ingest.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM and by its descendant processes (an embedded PostgreSQL: postmaster and backends,
 * including backends that have exited, through the postmaster's reaped-children time), from Linux's /proc. Where
 * that is not available the figures are -1.
 */
final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    record Reading(double jvmSeconds, double childSeconds) {
        Reading minus(Reading earlier) {
            return new Reading(jvmSeconds - earlier.jvmSeconds, childSeconds - earlier.childSeconds);
        }
    }

    static Reading read() {
        double jvm = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            jvm = os.getProcessCpuTime() / 1e9;
        }
        double children = 0;
        boolean any = false;
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            double seconds = procSeconds(child.pid());
            if (seconds >= 0) {
                children += seconds;
                any = true;
            }
        }
        return new Reading(jvm, any ? children : -1);
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
