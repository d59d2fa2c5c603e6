package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

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
        new StorageMaintenance(db, fortyDaysAgo, Duration.ofHours(1), 1, Duration.ZERO).run();
        assertThat(partitions()).hasSize(3); // yesterday, today, tomorrow (40 days ago)

        var maintenance = new StorageMaintenance(db, now, Duration.ofHours(1), 3, Duration.ofDays(30));
        StorageMaintenance.Result result = maintenance.run();

        assertThat(result).isEqualTo(new StorageMaintenance.Result(5, 3));
        assertThat(partitions()).hasSize(5);
        assertThat(maintenance.run()).isEqualTo(new StorageMaintenance.Result(0, 0));
    }

    private List<String> partitions() throws SQLException {
        var names = new ArrayList<String>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT inhrelid::regclass::text FROM pg_inherits"
                     + " WHERE inhparent = 'token_routing'::regclass ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
