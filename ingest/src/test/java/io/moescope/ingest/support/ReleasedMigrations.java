package io.moescope.ingest.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A database as an earlier release left it, for upgrade tests: the versioned migrations up to that release's last
 * one, exactly as released (released migrations are never edited), and the repeatable migrations for releases that
 * had them (from V46 on). Releases up to V45 had none, and for them none is applied: Flyway applies repeatable
 * migrations also when migrating to a target version, so a plain {@code target(...)} would give a schema no release
 * ever had, today's functions on an old schema, and V44's {@code CREATE FUNCTION} would fail on a function an
 * {@code R__} file made first. For later releases this checkout's repeatable migrations stand in for the release's
 * own: they differ only by functions added since, which the versioned migrations that need them declare again with
 * {@code CREATE OR REPLACE}. A repeatable migration that came after the release is then forgotten again, so that the
 * upgrade applies it after the versioned migrations, as it does on a database of that release: applied before them,
 * a function that a versioned migration declares again as it was then (V51's {@code moescope_routing_pack}) would
 * stay as it was then, which no upgrade in the field leaves.
 */
public final class ReleasedMigrations {

    /** The last migration of the previous release: databases in the field are at this version. */
    public static final String PREVIOUS_RELEASE = "47";

    /** The first release with repeatable migrations. */
    private static final int FIRST_WITH_REPEATABLE_MIGRATIONS = 46;

    /** Repeatable migrations that came after the first release with them, by the versioned migration they came with. */
    private static final Map<String, Integer> CAME_LATER =
            Map.of("R__routing_codec.sql", 51, "R__routing_requests.sql", 53);

    /** A prefix no file has, so Flyway finds no repeatable migration. */
    private static final String NO_REPEATABLE_MIGRATIONS = "NOT_IN_ANY_EARLIER_RELEASE__";

    private ReleasedMigrations() {
    }

    /** Migrates {@code db} as the release whose last migration was {@code lastVersion} did. */
    public static void apply(DataSource db, String lastVersion) {
        flyway(db, lastVersion).migrate();
        int release = Integer.parseInt(lastVersion);
        try (Connection c = db.getConnection(); PreparedStatement forget = c.prepareStatement(
                "DELETE FROM flyway_schema_history WHERE version IS NULL AND script = ?")) {
            for (Map.Entry<String, Integer> later : CAME_LATER.entrySet()) {
                if (release >= FIRST_WITH_REPEATABLE_MIGRATIONS && release < later.getValue()) {
                    forget.setString(1, later.getKey());
                    forget.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot forget the repeatable migrations after release " + lastVersion, e);
        }
    }

    /** Flyway as the release whose last migration was {@code lastVersion} ran it on start. */
    public static Flyway flyway(DataSource db, String lastVersion) {
        var flyway = Flyway.configure().dataSource(db).target(lastVersion);
        if (Integer.parseInt(lastVersion) < FIRST_WITH_REPEATABLE_MIGRATIONS) {
            flyway.repeatableSqlMigrationPrefix(NO_REPEATABLE_MIGRATIONS);
        }
        return flyway.load();
    }
}
