package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.moescope.ingest.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class StorageMaintenanceTest {

    private final DataSource db = TestPostgres.createMigratedDatabase("maintenance");

    @Test
    void createsTheNextDaysPartitionsAheadAndDropsDaysPastTheRetention() throws SQLException {
        Clock now = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        Clock fortyDaysAgo = Clock.offset(now, Duration.ofDays(-40));
        new StorageMaintenance(db, fortyDaysAgo, Duration.ofHours(1), 1, Duration.ZERO, new SimpleMeterRegistry())
                .run();
        assertThat(partitions()).hasSize(3); // yesterday, today, tomorrow (40 days ago)

        var maintenance = new StorageMaintenance(db, now, Duration.ofHours(1), 3, Duration.ofDays(30),
                new SimpleMeterRegistry());
        StorageMaintenance.Result result = maintenance.run();

        assertThat(result).isEqualTo(new StorageMaintenance.Result(5, 3));
        assertThat(partitions()).hasSize(5);
        assertThat(maintenance.run()).isEqualTo(new StorageMaintenance.Result(0, 0));
    }

    @Test
    void givesRowsWaitingInTheDefaultPartitionTheirDaysPartitions() throws SQLException {
        Clock now = Clock.fixed(Instant.parse("2026-06-15T12:00:00Z"), ZoneOffset.UTC);
        var maintenance = new StorageMaintenance(db, now, Duration.ofHours(1), 1, Duration.ZERO,
                new SimpleMeterRegistry());
        maintenance.run();
        // A fixture or a restore writes rows of 2019 and of next year, days that have no partition.
        for (String routedAt : List.of("2019-05-06 07:08:09+00", "2027-02-03 04:05:06+00")) {
            execute("INSERT INTO token_routing_named (run_id, request_id, token_index, token_id, phase, routed_at,"
                    + " routing)"
                    + " VALUES ('run-1', 'req-1', 0, 5, 0, '" + routedAt + "', moescope_routing_pack('{0}', '{1,2}',"
                    + " moescope_fp16_array('{.5,.5}'::real[]), moescope_fp16_array('{1}'::real[])))");
        }
        assertThat(single("SELECT count(*) FROM token_routing_default")).isEqualTo("2");

        assertThat(maintenance.run()).isEqualTo(new StorageMaintenance.Result(2, 0));

        assertThat(single("SELECT count(*) FROM token_routing_default")).isEqualTo("0");
        assertThat(single("SELECT string_agg(tableoid::regclass::text, ',' ORDER BY routed_at) FROM token_routing"))
                .isEqualTo("token_routing_p20190506,token_routing_p20270203");
    }

    @Test
    void eachRoundMeasuresTheShareOfTheRequestKeysThatRequestsHold() throws SQLException {
        var registry = new SimpleMeterRegistry();
        var maintenance = new StorageMaintenance(db, Clock.systemUTC(), Duration.ofHours(1), 1, Duration.ZERO,
                registry);
        maintenance.run();
        // PostgreSQL has not counted routing_request yet
        assertThat(registry.get("moescope.storage.request.keys.used").gauge().value()).isNaN();

        execute("INSERT INTO routing_request (run_id, request_id, first_routed_at)"
                + " SELECT 'run-1', 'req-' || i, now() FROM generate_series(1, 3) i");
        execute("ALTER TABLE routing_request ALTER request_key SET MAXVALUE 12");
        execute("ANALYZE routing_request");
        maintenance.run();

        assertThat(registry.get("moescope.storage.request.keys.used").gauge().value()).isEqualTo(0.25);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String single(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<String> partitions() throws SQLException {
        var names = new ArrayList<String>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT inhrelid::regclass::text FROM pg_inherits"
                     + " WHERE inhparent = 'token_routing'::regclass AND inhrelid::regclass::text ~ '_p[0-9]{8}$'"
                     + " ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
