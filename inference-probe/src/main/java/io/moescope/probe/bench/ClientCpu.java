package io.moescope.probe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the threads that produce to Kafka: the calling (encoding) thread, the delivery sender and the
 * producer's network thread. Wall-clock events/s on a shared machine says as much about the neighbours as about
 * the producer; CPU per event does not. The in-process broker's threads are left out.
 */
final class ClientCpu {

    private static final String[] CLIENT_THREADS = {"moescope-kafka-sender", "kafka-producer-network-thread"};

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> start;

    ClientCpu() {
        this.start = snapshot();
    }

    /** CPU seconds the client threads used since this was created (threads started since then included). */
    double secondsSinceStart() {
        long nanos = 0;
        for (var now : snapshot().entrySet()) {
            nanos += now.getValue() - start.getOrDefault(now.getKey(), 0L);
        }
        return nanos / 1e9;
    }

    private Map<Long, Long> snapshot() {
        var cpu = new HashMap<Long, Long>();
        long self = Thread.currentThread().getId();
        cpu.put(self, threads.getThreadCpuTime(self));
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && isClient(info.getThreadName())) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
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
