package io.moescope.ingest.support;

import io.moescope.events.EventCodec;
import io.moescope.events.RouterDecision;
import io.moescope.events.TokenRouting;
import io.moescope.events.avro.AvroLayerRouting;
import io.moescope.events.avro.AvroPhase;
import io.moescope.events.avro.AvroTokenRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Bad records of every kind ingest must dead-letter, each made from a valid token of a run whose model has
 * {@code experts} experts, top-2 and {@code layers} MoE layers (0 .. layers-1), as {@link Tokens} makes them.
 */
public final class Malformed {

    /** One kind of bad record: the reason tag ingest must give it and how to make one from a valid token. */
    public record Kind(String reason, Maker maker) {
    }

    @FunctionalInterface
    public interface Maker {
        byte[] make(TokenRouting valid, Random random);
    }

    private static final EventCodec CODEC = new EventCodec();

    private Malformed() {
    }

    public static List<Kind> kinds(int layers, int experts) {
        var kinds = new ArrayList<Kind>();
        kinds.add(new Kind("undecodable", (t, r) -> {
            byte[] garbage = new byte[1 + r.nextInt(200)];
            r.nextBytes(garbage);
            garbage[0] = 'x'; // never the single-object marker
            return garbage;
        }));
        kinds.add(new Kind("undecodable", (t, r) -> new byte[0]));
        kinds.add(new Kind("undecodable", (t, r) -> {
            byte[] valid = CODEC.encode(t);
            return Arrays.copyOf(valid, 10 + r.nextInt(valid.length - 20));
        }));
        kinds.add(new Kind("unknown-schema", (t, r) -> encodeWithVersion(t, 2 + r.nextInt(100))));
        kinds.add(new Kind("unknown-schema", (t, r) -> {
            byte[] bytes = CODEC.encode(t);
            bytes[2 + r.nextInt(8)] ^= (byte) (1 + r.nextInt(255)); // another writer-schema fingerprint
            return bytes;
        }));
        kinds.add(new Kind("layer-out-of-range", (t, r) -> CODEC.encode(withDecisions(t, d -> {
            d.set(d.size() - 1, new RouterDecision(layers + r.nextInt(50), d.get(d.size() - 1).expertIds(),
                    d.get(d.size() - 1).weights(), 1f));
            return d;
        }))));
        kinds.add(new Kind("expert-out-of-range", (t, r) -> CODEC.encode(withDecisions(t, d -> {
            RouterDecision first = d.get(0);
            d.set(0, new RouterDecision(first.layer(), new int[] {first.expertIds()[0], experts + r.nextInt(100)},
                    first.weights(), 1f));
            return d;
        }))));
        kinds.add(new Kind("top-k-mismatch", (t, r) -> CODEC.encode(withDecisions(t, d -> {
            var topOne = new ArrayList<RouterDecision>();
            d.forEach(x -> topOne.add(new RouterDecision(x.layer(), new int[] {x.expertIds()[0]}, new float[] {1f},
                    1f)));
            return topOne;
        }))));
        kinds.add(new Kind("invalid-weight", (t, r) -> CODEC.encode(withWeight(t, Float.NaN))));
        kinds.add(new Kind("invalid-weight", (t, r) -> CODEC.encode(withWeight(t, -0.5f - r.nextFloat()))));
        kinds.add(new Kind("invalid-weight", (t, r) -> CODEC.encode(withWeight(t, Float.POSITIVE_INFINITY))));
        kinds.add(new Kind("invalid-entropy", (t, r) -> CODEC.encode(withDecisions(t, d -> {
            RouterDecision first = d.get(0);
            d.set(0, new RouterDecision(first.layer(), first.expertIds(), first.weights(), -1f - r.nextFloat()));
            return d;
        }))));
        kinds.add(new Kind("duplicate-expert", (t, r) -> CODEC.encode(withDecisions(t, d -> {
            RouterDecision first = d.get(0);
            int e = first.expertIds()[0];
            d.set(0, new RouterDecision(first.layer(), new int[] {e, e}, first.weights(), 1f));
            return d;
        }))));
        kinds.add(new Kind("not-storable", (t, r) -> CODEC.encode(withDecisions(t, d -> {
            d.set(1, new RouterDecision(d.get(0).layer(), d.get(1).expertIds(), d.get(1).weights(), 1f));
            return d;
        }))));
        kinds.add(new Kind("not-storable", (t, r) -> CODEC.encode(new TokenRouting(t.runId(),
                t.requestId() + "\0", t.tokenIndex(), t.tokenId(), t.phase(), t.timestampMicros(), t.decisions()))));
        return kinds;
    }

    private static TokenRouting withDecisions(TokenRouting t, UnaryOperator<List<RouterDecision>> change) {
        return new TokenRouting(t.runId(), t.requestId(), t.tokenIndex(), t.tokenId(), t.phase(), t.timestampMicros(),
                change.apply(new ArrayList<>(t.decisions())));
    }

    private static TokenRouting withWeight(TokenRouting t, float weight) {
        return withDecisions(t, d -> {
            RouterDecision last = d.get(d.size() - 1);
            d.set(d.size() - 1, new RouterDecision(last.layer(), last.expertIds(),
                    new float[] {last.weights()[0], weight}, 1f));
            return d;
        });
    }

    private static byte[] encodeWithVersion(TokenRouting t, int version) {
        var layers = new ArrayList<AvroLayerRouting>();
        for (RouterDecision d : t.decisions()) {
            var ids = new ArrayList<Integer>();
            var weights = new ArrayList<Float>();
            for (int i = 0; i < d.expertIds().length; i++) {
                ids.add(d.expertIds()[i]);
                weights.add(d.weights()[i]);
            }
            layers.add(new AvroLayerRouting(d.layer(), ids, weights, null));
        }
        var avro = new AvroTokenRouting(version, t.runId(), t.requestId(), t.tokenIndex(), t.tokenId(),
                AvroPhase.valueOf(t.phase().name()), t.timestampMicros(), layers);
        try {
            ByteBuffer buffer = AvroTokenRouting.getEncoder().encode(avro);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For messages: a short printable form. */
    public static String describe(byte[] value) {
        return new String(value, 0, Math.min(value.length, 16), StandardCharsets.ISO_8859_1);
    }
}
