package io.moescope.ingest.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes sure {@code token_routing} has a partition for every UTC day a batch touches, remembering the days it has
 * already seen so that the normal batch costs nothing. The database function {@code moescope_create_partitions}
 * (V2 migration) does the work and is a no-op on TimescaleDB. Thread-safe.
 */
final class TimePartitions {

    static final long DAY_MICROS = 86_400_000_000L;

    private final Set<Long> knownDays = ConcurrentHashMap.newKeySet();

    /** Creates the partitions of the batch's days that are not known to exist, in the caller's transaction. */
    void ensure(Connection connection, TokenBatch batch) throws SQLException {
        Set<Long> missing = null;
        long lastDay = Long.MIN_VALUE;
        for (int i = 0; i < batch.size(); i++) {
            long day = Math.floorDiv(batch.timestampMicros(i), DAY_MICROS);
            if (day != lastDay && !knownDays.contains(day)) {
                if (missing == null) {
                    missing = new TreeSet<>();
                }
                missing.add(day);
            }
            lastDay = day;
        }
        if (missing != null) {
            create(connection, missing);
        }
    }

    private void create(Connection connection, Set<Long> epochDays) throws SQLException {
        String[] dates = epochDays.stream().map(d -> LocalDate.ofEpochDay(d).toString()).toArray(String[]::new);
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT moescope_create_partitions(?::date[])")) {
            statement.setArray(1, connection.createArrayOf("text", dates));
            statement.execute();
        }
        if (knownDays.size() > 100_000) {
            knownDays.clear(); // bounded: imports of old traces may touch many days
        }
        knownDays.addAll(epochDays);
    }
}
