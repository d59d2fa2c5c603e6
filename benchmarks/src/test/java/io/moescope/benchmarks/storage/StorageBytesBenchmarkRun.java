package io.moescope.benchmarks.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link StorageBytesBenchmark}: bytes per decision on a scratch embedded PostgreSQL (the plain path) and, when
 * {@code MOESCOPE_TIMESCALEDB_URL} names a TimescaleDB server (superuser {@code moescope}, as
 * {@code ../shared/timescaledb/start-timescaledb} starts it), on a new database there too:
 * {@code mvn -B -ntp -q -pl benchmarks -am test -Dskip.npm -Dtest=StorageBytesBenchmarkRun
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmoescope.benchmark=true [-Dbench.decisions=2000000 -Dbench.layers=32
 * -Dbench.experts=64 -Dbench.topK=2 -Dbench.slow=46 -Dbench.minutes=60 -Dbench.uuidRunIds=true
 * -Dbench.idsOnly=true]}.
 */
@EnabledIfSystemProperty(named = "moescope.benchmark", matches = "true")
class StorageBytesBenchmarkRun {

    @Test
    void run() throws Exception {
        var bench = new StorageBytesBenchmark(new StorageBytesBenchmark.Options(Integer.getInteger("bench.layers", 32),
                Integer.getInteger("bench.experts", 64), Integer.getInteger("bench.topK", 2),
                Long.getLong("bench.decisions", 2_000_000), Integer.getInteger("bench.slow", 46),
                Integer.getInteger("bench.minutes", 60), Boolean.getBoolean("bench.uuidRunIds"),
                Boolean.getBoolean("bench.idsOnly")), System.out);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            bench.run(postgres.getPostgresDatabase(), "embedded PostgreSQL");
        }
        String url = System.getenv("MOESCOPE_TIMESCALEDB_URL");
        if (url != null && !url.isBlank()) {
            bench.run(scratchDatabase(url), "TimescaleDB");
        }
    }

    /** A new database on the server of {@code url}, with the extension, as the timescaledb image's init creates. */
    private static PGSimpleDataSource scratchDatabase(String url) throws Exception {
        String name = "bench_bytes_" + ProcessHandle.current().pid();
        String base = url.substring(0, url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(url, "moescope", "moescope"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        var db = new PGSimpleDataSource();
        db.setUrl(base + name);
        db.setUser("moescope");
        db.setPassword("moescope");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
        }
        return db;
    }
}
