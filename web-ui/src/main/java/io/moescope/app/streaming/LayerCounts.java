package io.moescope.app.streaming;

import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The aggregate of one run's window in the stream: expert counts per layer. The number of experts is not in the
 * event, so a layer's array grows to the largest id seen; the evaluator pads it to the run's N. Mutable: Kafka
 * Streams aggregators update their accumulator in place.
 */
final class LayerCounts {

    private final Map<Integer, long[]> byLayer = new TreeMap<>();

    LayerCounts add(TokenRouting token) {
        for (RouterDecision decision : token.decisions()) {
            long[] counts = byLayer.get(decision.layer());
            for (int id : decision.expertIds()) {
                if (counts == null || id >= counts.length) {
                    counts = counts == null ? new long[id + 1] : Arrays.copyOf(counts, id + 1);
                }
                counts[id]++;
            }
            byLayer.put(decision.layer(), counts);
        }
        return this;
    }

    Map<Integer, long[]> byLayer() {
        return byLayer;
    }

    /** Layout: layers, then per layer: layer, length, counts. */
    static Serde<LayerCounts> serde() {
        Serializer<LayerCounts> serializer = (topic, value) -> {
            int size = Integer.BYTES;
            for (long[] c : value.byLayer.values()) {
                size += 2 * Integer.BYTES + c.length * Long.BYTES;
            }
            ByteBuffer buffer = ByteBuffer.allocate(size).putInt(value.byLayer.size());
            value.byLayer.forEach((layer, c) -> {
                buffer.putInt(layer).putInt(c.length);
                for (long v : c) {
                    buffer.putLong(v);
                }
            });
            return buffer.array();
        };
        Deserializer<LayerCounts> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            var counts = new LayerCounts();
            for (int layers = buffer.getInt(); layers > 0; layers--) {
                int layer = buffer.getInt();
                long[] c = new long[buffer.getInt()];
                for (int i = 0; i < c.length; i++) {
                    c[i] = buffer.getLong();
                }
                counts.byLayer.put(layer, c);
            }
            return counts;
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
