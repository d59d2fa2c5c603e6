package io.moescope.ingest.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.events.EventCodec;
import io.moescope.events.ModelIdentity;
import io.moescope.events.Phase;
import io.moescope.events.RouterDecision;
import io.moescope.events.RunLifecycle;
import io.moescope.events.RunStatus;
import io.moescope.events.TokenRouting;
import io.moescope.events.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A run's worth of routing for fault tests: the tokens, sending them, and checking afterwards that every decision
 * is stored exactly once, in the raw table and in every rollup.
 *
 * @param runId            the run
 * @param requests         requests of the run (Kafka keys, so spread over partitions)
 * @param tokensPerRequest tokens per request: the first half prefill, the rest decode
 * @param layers           MoE layers 0 .. layers-1, each top-2
 * @param experts          experts per layer
 */
public record Load(String runId, int requests, int tokensPerRequest, int layers, int experts) {

    public static final int TOP_K = 2;

    public long tokens() {
        return (long) requests * tokensPerRequest;
    }

    public long decisions() {
        return tokens() * layers;
    }

    public ModelIdentity model() {
        return new ModelIdentity("load-moe", "MixtralForCausalLM", experts, TOP_K, layers,
                java.util.stream.IntStream.range(0, layers).boxed().toList(), 1_000_000_000L, 300_000_000L);
    }

    public TokenRouting token(int request, int index) {
        Phase phase = index < tokensPerRequest / 2 ? Phase.PREFILL : Phase.DECODE;
        return Tokens.token(runId, "req-" + request, index, phase, layers, experts);
    }

    /** Sends the STARTED event and then every token, interleaving the requests, and waits for the broker. */
    public void send(Producer<String, byte[]> producer) {
        var codec = new EventCodec();
        producer.send(new ProducerRecord<>(Topics.RUNS, runId, codec.encode(new RunLifecycle(runId, "load",
                RunStatus.STARTED, Tokens.T0_MICROS, "probe", model(), 0))));
        producer.flush();
        for (int i = 0; i < tokensPerRequest; i++) {
            for (int r = 0; r < requests; r++) {
                TokenRouting token = token(r, i);
                producer.send(new ProducerRecord<>(Topics.ROUTING, token.kafkaKey(), codec.encode(token)));
            }
        }
        producer.flush();
    }

    /**
     * Like {@link #send(Producer)} but spread over time: {@code chunk} tokens, then a pause of {@code every}, so that
     * events keep arriving while a test breaks something.
     */
    public void send(Producer<String, byte[]> producer, int chunk, Duration every) throws InterruptedException {
        var codec = new EventCodec();
        producer.send(new ProducerRecord<>(Topics.RUNS, runId, codec.encode(new RunLifecycle(runId, "load",
                RunStatus.STARTED, Tokens.T0_MICROS, "probe", model(), 0))));
        int sent = 0;
        for (int i = 0; i < tokensPerRequest; i++) {
            for (int r = 0; r < requests; r++) {
                TokenRouting token = token(r, i);
                producer.send(new ProducerRecord<>(Topics.ROUTING, token.kafkaKey(), codec.encode(token)));
                if (++sent % chunk == 0) {
                    producer.flush();
                    Thread.sleep(every.toMillis());
                }
            }
        }
        producer.flush();
    }

    /** What is stored for the run, read back in one go. */
    public record Stored(long rows, long distinctKeys, String keyChecksum, long volumeTokens, long volumeDecisions,
                         long expertLoadTotal, Map<String, Long> expertLoad, long timelineTotal) {
    }

    public Stored read(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            long rows;
            long distinct;
            String checksum;
            try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT (request_id, token_index)),"
                    + " md5(coalesce(string_agg(request_id || ':' || token_index, ','"
                    + " ORDER BY request_id COLLATE \"C\", token_index), ''))"
                    + " FROM token_routing_named WHERE run_id = '" + runId + "'")) {
                rs.next();
                rows = rs.getLong(1);
                distinct = rs.getLong(2);
                checksum = rs.getString(3);
            }
            long volumeTokens = 0;
            long volumeDecisions = 0;
            try (ResultSet rs = s.executeQuery("SELECT tokens, decisions FROM run_volume WHERE run_id = '"
                    + runId + "'")) {
                if (rs.next()) {
                    volumeTokens = rs.getLong(1);
                    volumeDecisions = rs.getLong(2);
                }
            }
            var load = new TreeMap<String, Long>();
            long total = 0;
            try (ResultSet rs = s.executeQuery("SELECT layer, expert, phase, tokens FROM expert_load WHERE run_id = '"
                    + runId + "'")) {
                while (rs.next()) {
                    load.put(rs.getInt(1) + "/" + rs.getInt(2) + "/" + rs.getInt(3), rs.getLong(4));
                    total += rs.getLong(4);
                }
            }
            long timeline = timelineTotal(s);
            return new Stored(rows, distinct, checksum, volumeTokens, volumeDecisions, total, load, timeline);
        }
    }

    private long timelineTotal(Statement s) throws SQLException {
        try (ResultSet exists = s.executeQuery("SELECT to_regclass('expert_load_minute') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return -1; // no time-bucketed rollup in this schema version
            }
        }
        try (ResultSet rs = s.executeQuery("SELECT coalesce(sum(tokens), 0) FROM expert_load_minute WHERE run_id = '"
                + runId + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Asserts that every token of the load is stored exactly once and counted exactly once in every rollup. */
    public void assertStoredExactlyOnce(DataSource db) throws SQLException {
        Stored stored = read(db);
        assertThat(stored.rows()).as("rows").isEqualTo(tokens());
        assertThat(stored.distinctKeys()).as("distinct keys").isEqualTo(tokens());
        assertThat(stored.keyChecksum()).as("checksum over the keys").isEqualTo(keyChecksum());
        assertThat(stored.volumeTokens()).as("run_volume.tokens").isEqualTo(tokens());
        assertThat(stored.volumeDecisions()).as("run_volume.decisions").isEqualTo(decisions());
        assertThat(stored.expertLoadTotal()).as("expert_load total = tokens x layers x k")
                .isEqualTo(decisions() * TOP_K);
        assertThat(stored.expertLoad()).as("expert_load per layer, expert, phase").isEqualTo(expectedExpertLoad());
        if (stored.timelineTotal() >= 0) {
            assertThat(stored.timelineTotal()).as("expert_load_minute total").isEqualTo(decisions() * TOP_K);
        }
    }

    /** md5 over the sorted keys, as {@link #read} computes it in SQL. */
    public String keyChecksum() {
        var keys = new ArrayList<String>((int) tokens());
        for (int r = 0; r < requests; r++) {
            for (int i = 0; i < tokensPerRequest; i++) {
                keys.add("req-" + r + ":" + i);
            }
        }
        keys.sort((a, b) -> {
            String ra = a.substring(0, a.indexOf(':'));
            String rb = b.substring(0, b.indexOf(':'));
            int byRequest = ra.compareTo(rb);
            return byRequest != 0 ? byRequest : Integer.compare(index(a), index(b));
        });
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(String.join(",", keys)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Long> expectedExpertLoad() {
        var load = new TreeMap<String, Long>();
        for (int r = 0; r < requests; r++) {
            for (int i = 0; i < tokensPerRequest; i++) {
                TokenRouting token = token(r, i);
                int phase = token.phase() == Phase.PREFILL ? 0 : 1;
                for (RouterDecision d : token.decisions()) {
                    for (int expert : d.expertIds()) {
                        load.merge(d.layer() + "/" + expert + "/" + phase, 1L, Long::sum);
                    }
                }
            }
        }
        return load;
    }

    private static int index(String key) {
        return Integer.parseInt(key.substring(key.indexOf(':') + 1));
    }

    public List<TokenRouting> allTokens() {
        var all = new ArrayList<TokenRouting>((int) tokens());
        for (int i = 0; i < tokensPerRequest; i++) {
            for (int r = 0; r < requests; r++) {
                all.add(token(r, i));
            }
        }
        return all;
    }
}
