package io.moescope.benchmarks.capture;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;

/**
 * CPU time of the threads that produce to Kafka: the delivery sender and the producer's network thread of the sinks
 * open when this is created, and optionally the creating (encoding) thread. Wall-clock events/s on a shared machine
 * says as much about the neighbours as about the producer; CPU per event does not. The in-process broker's threads
 * are left out: a real deployment runs the broker on another machine. The threads are looked up once, so a reading
 * costs a few microseconds.
 */
final class ClientCpu {

    private static final String[] CLIENT_THREADS = {"moescope-kafka-sender", "kafka-producer-network-thread"};

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long[] ids;
    private final long start;

    /** @param withCaller whether the thread creating this (the encoding thread) counts too */
    ClientCpu(boolean withCaller) {
        var found = new ArrayList<Long>();
        if (withCaller) {
            found.add(Thread.currentThread().getId());
        }
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && isClient(info.getThreadName())) {
                found.add(info.getThreadId());
            }
        }
        this.ids = found.stream().mapToLong(Long::longValue).toArray();
        this.start = nanos();
    }

    /** CPU seconds the client threads used since this was created. */
    double secondsSinceStart() {
        return (nanos() - start) / 1e9;
    }

    private long nanos() {
        long sum = 0;
        for (long id : ids) {
            // -1 once a thread has ended: read before the sink closes
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }

    private static boolean isClient(String name) {
        for (String prefix : CLIENT_THREADS) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
