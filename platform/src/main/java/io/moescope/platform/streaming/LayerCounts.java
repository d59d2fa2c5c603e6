package io.moescope.platform.streaming;

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

    /**
     * A token's expert ids in the compact form that crosses the repartition topic (a few bytes per decision instead
     * of the event's weights and entropies): decisions, then per decision: layer, k, ids (shorts).
     */
    static byte[] encode(TokenRouting token) {
        int size = Integer.BYTES;
        for (RouterDecision d : token.decisions()) {
            size += 2 * Short.BYTES + d.topK() * Short.BYTES;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(token.decisions().size());
        for (RouterDecision d : token.decisions()) {
            buffer.putShort((short) d.layer()).putShort((short) d.topK());
            for (int id : d.expertIds()) {
                buffer.putShort((short) id);
            }
        }
        return buffer.array();
    }

    /** Counts a token given in the form of {@link #encode}. */
    LayerCounts addEncoded(byte[] token) {
        ByteBuffer buffer = ByteBuffer.wrap(token);
        for (int decisions = buffer.getInt(); decisions > 0; decisions--) {
            int layer = buffer.getShort();
            int k = buffer.getShort();
            long[] counts = byLayer.get(layer);
            for (int j = 0; j < k; j++) {
                int id = buffer.getShort();
                if (counts == null || id >= counts.length) {
                    counts = counts == null ? new long[id + 1] : Arrays.copyOf(counts, id + 1);
                }
                counts[id]++;
            }
            byLayer.put(layer, counts);
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
