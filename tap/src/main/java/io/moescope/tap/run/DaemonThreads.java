package io.moescope.tap.run;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads of the tap's pools: named for a thread dump, daemons so that a pool left running never holds the JVM. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Threads named {@code prefix} and a count from 1. */
    public static ThreadFactory named(String prefix) {
        var count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
