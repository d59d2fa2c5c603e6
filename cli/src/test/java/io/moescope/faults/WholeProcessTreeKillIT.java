package io.moescope.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.ingest.support.Load;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The packaged application loses nothing that Kafka acknowledged when its whole process tree is killed: the JVM
 * (with the in-process broker and ingest) and the embedded PostgreSQL, all with SIGKILL at the same moment, again
 * and again while a million decisions (31,250 tokens x 32 layers, top-2) stream in. Each time it is started again
 * on the same data dir, as an operator would; at the end every acknowledged decision is stored exactly once.
 *
 * <p>Before the embedded server ran durably (zonky's {@code synchronous_commit=off}), ingest committed Kafka
 * offsets for transactions PostgreSQL had acknowledged but not yet written, and a kill lost them for good.
 *
 * <p>The same kills on another database: a subclass starts that server before the application, names its processes
 * to kill with the application's, starts it again after each kill, and checks that the application really stores
 * there ({@link WholeProcessTreeKillOnTimescaleDbIT}).
 */
class WholeProcessTreeKillIT {

    private static final int KILLS = 5;
    private static final Load LOAD = new Load("run-tree-kill", 50, 625, 32, 64);
    private static final Duration PROGRESS_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(10);

    @Test
    void everyAcknowledgedDecisionIsStoredExactlyOnceThoughTheWholeProcessTreeIsKilledAgainAndAgain()
            throws Exception {
        assertThat(LOAD.decisions()).isEqualTo(1_000_000);
        Path root = Files.createDirectories(Path.of("target", "fault-tests"));
        Path work = Files.createTempDirectory(root, "tree-kill");
        var serve = new ServeProcess(ServeProcess.packagedJar(), work.resolve("data"), work.resolve("embedded-pg"),
                ServeProcess.Ports.free(), work.resolve("serve.log"), startDatabase(work));

        // 1,000 tokens (32,000 decisions) a second while the application runs: the load outlasts the kills.
        var load = new AcknowledgedLoad(LOAD, serve.bootstrapServers(), 100, Duration.ofMillis(100));
        var random = new Random(15);
        Process process = serve.start(ServeProcess.START_TIMEOUT);
        try {
            PGSimpleDataSource db = serve.database();
            String storedOn = storagePath(db);
            Thread producer = new Thread(load, "acknowledged-load");
            producer.start();
            int kills = 0;
            while (kills < KILLS) {
                long before = storedTokens(db);
                load.resume();
                awaitStoredAbove(db, before, process);
                Thread.sleep(200 + random.nextInt(2_800));
                assertThat(load.done()).as("load still streaming at kill " + (kills + 1)).isFalse();
                serve.killTree(process, databaseProcesses());
                load.pause();
                kills++;
                System.out.printf("kill %d: %,d tokens acknowledged by Kafka so far%n", kills, load.acknowledged());
                restartDatabase();
                process = serve.start(ServeProcess.START_TIMEOUT);
            }
            load.resume();
            producer.join(FINISH_TIMEOUT.toMillis());
            assertThat(load.done()).as("load sent in full").isTrue();
            awaitStored(db, LOAD.tokens(), process);

            long stored = storedTokens(db);
            long distinct = distinctKeys(db);
            System.out.printf("%d kills of the whole process tree during %,d decisions%s: %,d tokens acknowledged, "
                    + "%,d stored, %,d lost, %,d duplicated%n", kills, LOAD.decisions(), storedOn,
                    load.acknowledged(), distinct, load.acknowledged() - distinct, stored - distinct);
            assertThat(load.failed()).as("records the producer gave up on").isZero();
            assertThat(load.acknowledged()).as("acknowledged tokens").isEqualTo(LOAD.tokens());
            LOAD.assertStoredExactlyOnce(db);
            ServeProcess.stop(process);
        } finally {
            if (process.isAlive()) {
                serve.killTree(process);
            }
        }
    }

    /**
     * Starts the database the application writes to, before the application starts; null (the default) for the
     * embedded PostgreSQL, which the application starts itself and {@link ServeProcess#killTree} kills with it.
     */
    ServeProcess.ExternalDatabase startDatabase(Path work) throws Exception {
        return null;
    }

    /** The processes of the database that get SIGKILL together with the application's (none but the embedded). */
    List<ProcessHandle> databaseProcesses() throws IOException {
        return List.of();
    }

    /** After a kill, before the application starts again: starts the database again (the embedded: nothing). */
    void restartDatabase() throws Exception {
    }

    /**
     * Checks, once the application has started on it, that the database is the one the test is about; returns how
     * the summary line names it (the embedded PostgreSQL: not at all, as the line has always read).
     */
    String storagePath(PGSimpleDataSource db) throws SQLException {
        return "";
    }

    private static void awaitStoredAbove(PGSimpleDataSource db, long before, Process process) throws Exception {
        Instant deadline = Instant.now().plus(PROGRESS_TIMEOUT);
        while (storedTokens(db) <= before) {
            assertThat(process.isAlive()).as("moescope alive").isTrue();
            assertThat(Instant.now()).as("ingest progress after a start").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitStored(PGSimpleDataSource db, long tokens, Process process) throws Exception {
        Instant deadline = Instant.now().plus(FINISH_TIMEOUT);
        while (storedTokens(db) < tokens && Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("moescope alive").isTrue();
            Thread.sleep(200);
        }
    }

    /** Rows in the raw table, duplicates included (a rollup could hide them). */
    private static long storedTokens(PGSimpleDataSource db) throws SQLException {
        return single(db, "SELECT count(*) FROM token_routing_named WHERE run_id = '" + LOAD.runId() + "'");
    }

    private static long distinctKeys(PGSimpleDataSource db) throws SQLException {
        return single(db, "SELECT count(DISTINCT (request_id, token_index)) FROM token_routing_named"
                + " WHERE run_id = '" + LOAD.runId() + "'");
    }

    private static long single(PGSimpleDataSource db, String sql) throws SQLException {
        return Long.parseLong(value(db, sql));
    }

    /** The first column of the first row, as text. */
    static String value(PGSimpleDataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
