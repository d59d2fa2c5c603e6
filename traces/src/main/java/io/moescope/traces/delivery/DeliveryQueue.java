package io.moescope.traces.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Hands records to a Kafka producer from a sender thread, so that generation never waits for the broker.
 *
 * <p>Memory is bounded twice, in encoded bytes (events differ in size by model: a token of a 48-layer top-8 model is
 * ten times one of a 4-layer top-2 model): at most {@code queueBytes} wait in memory and at most
 * {@code inFlightBytes} are in the producer unacknowledged. A bound in records sized for the largest models
 * throttled small ones: a burst overflowed into the spool file and the sender waited for acknowledgements with the
 * producer's batches far from full. When the broker is away, in-flight records stay with the idempotent producer
 * (which retries them with the same producer id and sequence numbers, so the broker writes each once) and the
 * queue fills; from then on every new record is appended to the {@link SpoolFile} until the sender has caught up
 * with it. Order is kept: queued records are older than spooled ones, and the queue is only used again once the
 * spool has been read to its end.
 */
final class DeliveryQueue implements AutoCloseable {

    private static final int SPOOL_CHUNK = 1024;
    /** Between two sends of a record whose topic's metadata timed out (each itself waits max.block.ms). */
    private static final long METADATA_RETRY_MILLIS = 500;
    /**
     * How long an idle sender waits before it hands what has queued up to the producer: records reach Kafka up to
     * this much later, in one batch instead of one request per token. Each wake-up of the delivery threads (sender,
     * producer network thread) cost about 3 ms of CPU on a loaded 2-core machine, caches cold after the model's
     * maths; OLMoE-shaped decode (30 ms steps), delivery CPU per token: polling every 1 ms 1.7 ms, a wake-up per
     * token 1.3 ms, every 100 ms 0.87 ms, every 250 ms 0.33 ms.
     */
    static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Queued bytes that wake a parked sender at once: a burst (a prefill, a fast model) does not wait. */
    private static final long WAKE_BYTES = 256 * 1024;

    private final Producer<String, byte[]> producer;
    /**
     * Unblocking on purpose: a blocking queue would signal the sender on every offer, a context switch per token.
     * An idle sender parks for {@link #FLUSH_INTERVAL_NANOS} and is woken early only by {@link #WAKE_BYTES} queued.
     */
    private final ConcurrentLinkedQueue<Envelope> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long queueBytes;
    private final Semaphore inFlight;
    private final int inFlightBytes;
    private final SpoolFile spool;
    private final ArrayDeque<Envelope> fromSpool = new ArrayDeque<>();
    private final Object lock = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    /**
     * Acknowledged records per topic: how many of a run's tokens are in Kafka when delivery fails part way. This
     * process's records only: those an earlier process left in the spool are counted in {@link #earlierAcknowledged}.
     */
    private final ConcurrentHashMap<String, LongAdder> acknowledged = new ConcurrentHashMap<>();
    /** Records per topic handed to the producer: those not acknowledged at a forced close may still be in Kafka. */
    private final ConcurrentHashMap<String, LongAdder> handed = new ConcurrentHashMap<>();
    /** Records of the spool's leftover (an earlier process's, all topics) the broker acknowledged. */
    private final LongAdder earlierAcknowledged = new LongAdder();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** Topics whose records Kafka may refuse as too large without stopping delivery of the others. */
    private final Set<String> refusableTopics;
    private final AtomicLong refusedCount = new AtomicLong();
    private final AtomicReference<Refused> refused = new AtomicReference<>();
    private final Thread sender;
    private final SpoolFile.Leftover leftover;
    private boolean spooling;
    /** Sender thread only: a record whose topic's metadata timed out, sent again before any other. */
    private Envelope retry;
    /** Sender thread only: whether the send just made failed on the topic's metadata, before taking the record. */
    private boolean metadataTimedOut;
    /** Sender thread only: records of the spool's leftover not yet taken; they are the first ones the spool gives. */
    private long earlierUntaken;
    /** Sender thread only: whether the record {@link #next()} gave last is one of the leftover's. */
    private boolean takenEarlier;
    private volatile boolean closing;
    private volatile boolean parked;

    /**
     * A record of one of {@code refusableTopics} that Kafka refuses as too large (producer {@code max.request.size}
     * or the topic's {@code max.message.bytes}) is set aside and reported by {@link #refused()}; delivery goes on,
     * since that refusal concerns that record alone. Any other failure stops delivery.
     */
    DeliveryQueue(Producer<String, byte[]> producer, long queueBytes, int inFlightBytes, SpoolFile spool,
                  Set<String> refusableTopics) {
        this.producer = producer;
        this.refusableTopics = Set.copyOf(refusableTopics);
        this.queueBytes = queueBytes;
        this.inFlight = new Semaphore(inFlightBytes);
        this.inFlightBytes = inFlightBytes;
        this.spool = spool;
        this.leftover = spool.recover();
        // an earlier process's records go first: new ones are appended behind them until the spool is read out
        accepted.set(leftover.records());
        spooled.set(leftover.records());
        spooling = leftover.records() > 0;
        earlierUntaken = leftover.records();
        this.sender = new Thread(this::sendLoop, "moescope-kafka-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Never blocks on the broker: the record is queued, or spooled when the queue is full or already spooling. */
    void offer(Envelope e) {
        accepted.incrementAndGet();
        boolean burst;
        synchronized (lock) {
            if (!spooling && queuedBytes.get() + e.value().length <= queueBytes) {
                burst = queuedBytes.addAndGet(e.value().length) >= WAKE_BYTES;
                queue.add(e);
            } else {
                burst = true;
                spooling = true;
                spool.append(e);
                spooled.incrementAndGet();
            }
        }
        // After the record is visible: a parked sender is woken for a burst (one that has not yet parked sees the
        // record when it looks again: next() looks after announcing that it parks).
        if (burst && parked) {
            LockSupport.unpark(sender);
        }
    }

    Exception failure() {
        return failure.get();
    }

    /** The first record Kafka refused as too large on a refusable topic, or null. */
    Refused refused() {
        return refused.get();
    }

    DeliveryStats stats() {
        long s = sent.get();
        return new DeliveryStats(s, spooled.get(), accepted.get() - s - refusedCount.get());
    }

    /** Records of {@code topic} this process offered that the broker acknowledged so far. */
    long acknowledged(String topic) {
        return count(acknowledged, topic);
    }

    /**
     * Records of {@code topic} this process offered that were handed to the producer so far (acknowledged, failed or
     * still in flight).
     */
    long handed(String topic) {
        return count(handed, topic);
    }

    /** Records an earlier process left in the spool file ({@link #leftover()}) that the broker acknowledged. */
    long earlierAcknowledged() {
        return earlierAcknowledged.sum();
    }

    private static long count(ConcurrentHashMap<String, LongAdder> counts, String topic) {
        LongAdder count = counts.get(topic);
        return count == null ? 0 : count.sum();
    }

    /**
     * Waits up to {@code timeout} until every accepted record is acknowledged (or a send failed).
     *
     * @return whether nothing is left pending
     */
    boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        closing = true;
        LockSupport.unpark(sender);
        sender.join(Math.max(1, timeout.toMillis()));
        if (sender.isAlive()) {
            return false;
        }
        // Every permit back means every record handed to the producer was acknowledged or failed.
        long left = Math.max(0, deadline - System.nanoTime());
        if (!inFlight.tryAcquire(inFlightBytes, left, TimeUnit.NANOSECONDS)) {
            return false;
        }
        inFlight.release(inFlightBytes);
        return failure.get() != null || stats().pending() == 0;
    }

    @Override
    public void close() {
        closing = true;
        sender.interrupt();
        if (failure.get() == null && stats().pending() == 0) {
            spool.delete();
        } else {
            spool.close();
        }
    }

    /** What an earlier process left in the spool file, sent first. */
    SpoolFile.Leftover leftover() {
        return leftover;
    }

    Path spoolPath() {
        return spool.path();
    }

    private void sendLoop() {
        try {
            while (failure.get() == null) {
                Envelope next = next();
                if (next == null) {
                    if (closing && idle()) {
                        return;
                    }
                    continue;
                }
                // A record larger than the whole bound still goes, alone.
                int permits = Math.min(next.value().length, inFlightBytes);
                boolean earlier = takenEarlier;
                inFlight.acquire(permits);
                metadataTimedOut = false;
                producer.send(new ProducerRecord<>(next.topic(), next.key(), next.value()), (metadata, ex) -> {
                    if (ex instanceof TimeoutException && Thread.currentThread() == sender) {
                        // the topic's metadata did not come within max.block.ms: the record was not taken
                        metadataTimedOut = true;
                    } else if (ex instanceof RecordTooLargeException && refusableTopics.contains(next.topic())) {
                        refused.compareAndSet(null, new Refused(next.topic(), next.value().length, ex));
                        refusedCount.incrementAndGet();
                    } else if (ex != null) {
                        failure.compareAndSet(null, ex);
                    } else if (earlier) {
                        earlierAcknowledged.increment();
                        sent.incrementAndGet();
                    } else {
                        acknowledged.computeIfAbsent(next.topic(), t -> new LongAdder()).increment();
                        sent.incrementAndGet();
                    }
                    // Released last: drain() takes every permit back to know all counts are final.
                    inFlight.release(permits);
                });
                if (metadataTimedOut) {
                    awaitBroker(next);
                    continue;
                }
                if (!earlier) {
                    handed.computeIfAbsent(next.topic(), t -> new LongAdder()).increment();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /**
     * Keeps {@code record} to be sent first and waits a while: the producer could not learn where its topic lives (the
     * broker away before the topic's first record, or after its metadata went idle), which is an outage like any other
     * (the queue fills, then the spool), not a failure. It used to stop delivery for good.
     */
    private void awaitBroker(Envelope record) throws InterruptedException {
        retry = record;
        if (!closing) {
            Thread.sleep(METADATA_RETRY_MILLIS);
        }
    }

    /**
     * The oldest record not yet handed to the producer, or null after a wait when there is none; {@link #takenEarlier}
     * says whether it is one of the spool's leftover (a retried record is the one given last, so it stays as it was).
     */
    private Envelope next() throws InterruptedException {
        if (retry != null) {
            Envelope record = retry;
            retry = null;
            return record;
        }
        Envelope taken = nextNew();
        if (taken != null) {
            takenEarlier = earlierUntaken > 0;
            if (takenEarlier) {
                earlierUntaken--;
            }
        }
        return taken;
    }

    /** Like {@link #next()}, without a retried record: the spool's first (the leftover's before any other). */
    private Envelope nextNew() throws InterruptedException {
        if (!fromSpool.isEmpty()) {
            return fromSpool.poll();
        }
        Envelope fromQueue = poll();
        if (fromQueue != null) {
            return fromQueue;
        }
        synchronized (lock) {
            if (spooling) {
                fromSpool.addAll(spool.readNext(SPOOL_CHUNK));
                if (spool.drained()) {
                    // Everything spooled is now in memory ahead of anything queued from here on.
                    spool.reset();
                    spooling = false;
                }
                if (!fromSpool.isEmpty()) {
                    return fromSpool.poll();
                }
            }
        }
        // Nothing to send: park for the flush interval, or until a burst or close() wakes us; look once more after
        // announcing it, so that a burst offered in between is not left waiting.
        parked = true;
        try {
            Envelope late = poll();
            if (late != null) {
                return late;
            }
            LockSupport.parkNanos(this, FLUSH_INTERVAL_NANOS);
        } finally {
            parked = false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return poll();
    }

    /** A record Kafka refused as too large: its topic, its encoded size and Kafka's reason. */
    record Refused(String topic, int bytes, Exception reason) {
    }

    private Envelope poll() {
        Envelope e = queue.poll();
        if (e != null) {
            queuedBytes.addAndGet(-e.value().length);
        }
        return e;
    }

    private boolean idle() {
        synchronized (lock) {
            return queue.isEmpty() && fromSpool.isEmpty() && !spooling;
        }
    }
}
