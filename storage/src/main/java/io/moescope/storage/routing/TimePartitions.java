package io.moescope.storage.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntToLongFunction;

/**
 * Makes sure {@code token_routing} has a partition for every UTC day a batch touches, remembering the days it has
 * already seen so that the normal batch costs nothing. The database function {@code moescope_create_partitions}
 * (V2 migration) does the work and is a no-op on TimescaleDB. Thread-safe. Also the statements of storage
 * maintenance ({@link #createAheadAndForDefault}, {@link #applyRetention}).
 */
public final class TimePartitions {

    static final long DAY_MICROS = 86_400_000_000L;

    private final Set<Long> knownDays = ConcurrentHashMap.newKeySet();

    /**
     * Creates the partitions of the batch's days that are not known to exist, in the caller's transaction.
     *
     * @param tokens         the batch's size
     * @param timestampMicros a token's routing time in microseconds from the Unix epoch, by its position
     */
    public void ensure(Connection connection, int tokens, IntToLongFunction timestampMicros) throws SQLException {
        Set<Long> missing = null;
        long lastDay = Long.MIN_VALUE;
        for (int i = 0; i < tokens; i++) {
            long day = Math.floorDiv(timestampMicros.applyAsLong(i), DAY_MICROS);
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

    /**
     * Creates the partitions of {@code days} and of the days that have rows in the default partition (V4), which
     * moves those rows into them.
     *
     * @return partitions created
     */
    public static int createAheadAndForDefault(Connection connection, LocalDate... days) throws SQLException {
        String[] dates = new String[days.length];
        for (int i = 0; i < days.length; i++) {
            dates[i] = days[i].toString();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT moescope_create_partitions(?::date[] || moescope_default_partition_days())")) {
            statement.setArray(1, connection.createArrayOf("text", dates));
            return single(statement);
        }
    }

    /**
     * Drops the partitions of days that ended more than {@code retention} ago (on TimescaleDB: sets the retention
     * policy); zero or negative keeps them forever.
     *
     * @return partitions dropped
     */
    public static int applyRetention(Connection connection, Duration retention) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT moescope_apply_retention(?::interval)")) {
            boolean keepAll = retention.isZero() || retention.isNegative();
            statement.setString(1, keepAll ? null : retention.toSeconds() + " seconds");
            return single(statement);
        }
    }

    private static int single(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
