package io.moescope.tap.run;

import io.moescope.tap.capture.Capture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records captured responses ({@link TapRun#record}) on threads of its own, so that a handler thread is free for its
 * next request as soon as its client has the answer: decoding a response's routing and building and encoding its
 * tokens costs many times what forwarding it does. What waits is bounded by the bytes it holds (the engines' bodies);
 * a response that would pass the bound is not recorded but dropped ({@link TapRun#dropped}), never blocking a
 * handler: the tap must not slow the engine's clients down to the speed of its recording. A response larger than
 * the bound alone is taken when nothing else waits, so that a large bound is not needed for a rare large response.
 * Thread-safe.
 */
public final class RecordingQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingQueue.class);
    /** How long closing waits for what was taken: the bound keeps that to seconds of encoding. */
    private static final long CLOSE_TIMEOUT_SECONDS = 60;

    private final TapRun run;
    private final long maxBytes;
    private final ThreadPoolExecutor recorders;
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();

    /**
     * @param threads  responses recorded at once
     * @param maxBytes bytes of responses ({@link Capture#heldBytes}) that may wait or be in recording at once
     */
    public RecordingQueue(TapRun run, int threads, long maxBytes) {
        if (threads < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("need threads >= 1 and maxBytes >= 1 but were " + threads + " and "
                    + maxBytes);
        }
        this.run = run;
        this.maxBytes = maxBytes;
        // unbounded as a queue, bounded by heldBytes: every response holds a byte at least
        this.recorders = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("moescope-tap-recorder-"));
    }

    /** Records {@code capture} soon, or drops it when the routing already waiting leaves no room. */
    public void submit(Capture capture) {
        long bytes = capture.heldBytes();
        if (!reserve(bytes)) {
            run.dropped("the tap's recording is behind: " + heldBytes.get() + " bytes of responses wait to be"
                    + " recorded (at most " + maxBytes + ")");
            return;
        }
        pending.incrementAndGet();
        try {
            recorders.execute(() -> {
                try {
                    run.record(capture);
                } finally {
                    heldBytes.addAndGet(-bytes);
                    pending.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            // rejected: the queue is closing; the response came in after the tap stopped taking requests
            heldBytes.addAndGet(-bytes);
            pending.decrementAndGet();
            run.dropped("the tap is stopping");
        }
    }

    /** Responses taken and not yet recorded. */
    public int pending() {
        return pending.get();
    }

    /** Records what was taken (for at most a minute), then stops the threads. */
    @Override
    public void close() {
        recorders.shutdown();
        try {
            if (!recorders.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{} responses not recorded: recording them took longer than {} s", pending.get(),
                        CLOSE_TIMEOUT_SECONDS);
                recorders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recorders.shutdownNow();
        }
    }

    private boolean reserve(long bytes) {
        long held;
        do {
            held = heldBytes.get();
            if (held > 0 && held + bytes > maxBytes) {
                return false;
            }
        } while (!heldBytes.compareAndSet(held, held + bytes));
        return true;
    }
}
