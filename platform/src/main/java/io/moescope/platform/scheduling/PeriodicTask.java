package io.moescope.platform.scheduling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A background check run every {@code interval} on a daemon thread of its own while the application runs (started
 * and stopped with the context). A failed run (the database briefly away) is logged and does not cancel the
 * schedule; a non-positive interval turns the check off, which is logged once at start.
 */
public final class PeriodicTask implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String threadName;
    private final String description;
    private final Duration interval;
    private final String whenOff;
    private final Runnable task;
    private ScheduledExecutorService executor;
    private volatile ScheduledFuture<?> tick;

    /**
     * @param threadName  the thread's name, e.g. "moescope-run-liveness"
     * @param description what the check is, for the log: "abandoned-run check"
     * @param interval    between the end of one run and the start of the next
     * @param whenOff     what the log says at start when {@code interval} is not positive
     * @param task        the check
     */
    public PeriodicTask(String threadName, String description, Duration interval, String whenOff, Runnable task) {
        this.threadName = threadName;
        this.description = description;
        this.interval = interval;
        this.whenOff = whenOff;
        this.task = task;
    }

    @Override
    public void start() {
        if (interval.isNegative() || interval.isZero()) {
            log.info("{} off ({})", description, whenOff);
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        tick = executor.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("{} failed: {}", description, e.toString());
        }
    }

    @Override
    public void stop() {
        if (executor != null) {
            // shutdownNow leaves a periodic task's future undone: cancelled first, so that isRunning says false
            tick.cancel(false);
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return tick != null && !tick.isDone();
    }
}
