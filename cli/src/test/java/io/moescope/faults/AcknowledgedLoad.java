package io.moescope.faults;

import io.moescope.events.EventCodec;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import io.moescope.ingest.support.Load;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a {@link Load} at a steady pace with a producer configured as moescope's own (idempotent, acks=all, retrying
 * for as long as a restart takes), and counts what the broker acknowledged: the records a crash must not lose.
 * It starts paused: a test lets it stream while the application runs and pauses it while the application starts, so
 * that the load is spread over every run instead of flooding the broker while the rest of the application starts.
 */
final class AcknowledgedLoad implements Runnable {

    private final Load load;
    private final String bootstrapServers;
    private final int tokensPerTick;
    private final Duration tick;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean done;
    private volatile boolean paused = true;

    AcknowledgedLoad(Load load, String bootstrapServers, int tokensPerTick, Duration tick) {
        this.load = load;
        this.bootstrapServers = bootstrapServers;
        this.tokensPerTick = tokensPerTick;
        this.tick = tick;
    }

    @Override
    public void run() {
        var codec = new EventCodec();
        try (var producer = new KafkaProducer<>(config(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.RUNS, load.runId(), codec.encode(new RunLifecycle(load.runId(),
                    "whole-tree kill", RunStatus.STARTED, System.currentTimeMillis() * 1000, "import", load.model(),
                    0))));
            int sent = 0;
            for (TokenRouting token : load.allTokens()) {
                producer.send(new ProducerRecord<>(Topics.ROUTING, token.kafkaKey(), codec.encode(token)),
                        (metadata, error) -> (error == null ? acknowledged : failed).incrementAndGet());
                if (++sent % tokensPerTick == 0) {
                    producer.flush();
                    Thread.sleep(tick.toMillis());
                    while (paused) {
                        Thread.sleep(tick.toMillis());
                    }
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done = true;
        }
    }

    private Map<String, Object> config() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                // Through every restart of the broker: a record is either acknowledged or still being retried.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(10).toMillis(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Duration.ofMinutes(10).toMillis(),
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    }

    void resume() {
        paused = false;
    }

    void pause() {
        paused = true;
    }

    boolean done() {
        return done;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long failed() {
        return failed.get();
    }
}
