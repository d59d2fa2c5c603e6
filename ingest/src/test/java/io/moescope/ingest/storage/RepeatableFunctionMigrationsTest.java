package io.moescope.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.moescope.ingest.support.Databases;
import io.moescope.ingest.support.ReleasedMigrations;
import io.moescope.ingest.support.SchemaFunctions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;

/**
 * Every SQL function of the schema has one definition to edit, its repeatable migration ({@code R__*.sql}), and
 * that definition is what a database holds, fresh or upgraded. On plain PostgreSQL here; on TimescaleDB in
 * {@code RepeatableFunctionMigrationsOnTimescaleDbTest}.
 */
class RepeatableFunctionMigrationsTest {

    private static final List<String> REPEATABLE_MIGRATIONS =
            List.of("R__half_float.sql", "R__layer_load_counts.sql", "R__routing_codec.sql", "R__routing_requests.sql",
                    "R__run_health.sql", "R__token_routing_partitions.sql");

    /** Where this class's databases come from; the TimescaleDB subclass gives the server's. */
    protected Databases databases() {
        return Databases.EMBEDDED_POSTGRES;
    }

    @Test
    void aFreshDatabaseHoldsExactlyTheFunctionsOfTheRepeatableMigrationsAsTheyDeclareThem() throws SQLException {
        DataSource db = databases().migrated("functions_fresh");

        assertThat(SchemaFunctions.inDatabase(db)).isEqualTo(SchemaFunctions.inRepeatableMigrations(db))
                .containsOnlyKeys("moescope_add_counts", "moescope_apply_retention", "moescope_counts_vector",
                        "moescope_create_partitions", "moescope_default_partition_days", "moescope_forget_requests",
                        "moescope_first_free_request_key", "moescope_fp16", "moescope_free_request_key_between",
                        "moescope_free_request_keys", "moescope_hold_request_keys",
                        "moescope_fp16_array", "moescope_fp16_real", "moescope_fp16_real_array", "moescope_grid_cells",
                        "moescope_routing_entropies", "moescope_routing_expert_ids", "moescope_routing_halves",
                        "moescope_routing_ids_at", "moescope_routing_layers", "moescope_routing_pack",
                        "moescope_request_keys", "moescope_routing_u16", "moescope_routing_weights",
                        "moescope_storage_path", "moescope_token_routing_named_insert", "run_health");
    }

    @Test
    void upgradingADatabaseOfAReleaseWithoutRepeatableMigrationsAppliesEveryOneOnce() throws SQLException {
        DataSource db = databases().empty("functions_upgrade");
        ReleasedMigrations.apply(db, "45");
        assertThat(appliedRepeatableMigrations(db)).isEmpty();

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(appliedRepeatableMigrations(db)).isEqualTo(REPEATABLE_MIGRATIONS);
        assertThat(SchemaFunctions.inDatabase(db)).isEqualTo(SchemaFunctions.inRepeatableMigrations(db));
    }

    @Test
    void upgradingADatabaseOfThePreviousReleaseLeavesEveryFunctionAsItsRepeatableMigrationDeclaresIt()
            throws SQLException {
        DataSource db = databases().empty("functions_upgrade_previous");
        ReleasedMigrations.apply(db, ReleasedMigrations.PREVIOUS_RELEASE);

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(SchemaFunctions.inDatabase(db)).isEqualTo(SchemaFunctions.inRepeatableMigrations(db));
    }

    @Test
    void aSecondStartOnTheSameMigrationsAppliesNothingAgain() throws SQLException {
        DataSource db = databases().migrated("functions_restart");

        Flyway.configure().dataSource(db).load().migrate();

        assertThat(appliedRepeatableMigrations(db)).isEqualTo(REPEATABLE_MIGRATIONS);
    }

    /** Not silent: going back to a release before V46 after an upgrade is refused, not half-done. */
    @Test
    void aReleaseWithoutRepeatableMigrationsRefusesToStartOnAnUpgradedDatabaseNamingThem() {
        DataSource db = databases().migrated("functions_downgrade");

        assertThatThrownBy(() -> ReleasedMigrations.flyway(db, "45").migrate())
                .isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("Detected applied migration not resolved locally: layer load counts");
    }

    /** The repeatable migrations in flyway_schema_history, successful ones, in the order they were applied. */
    private static List<String> appliedRepeatableMigrations(DataSource db) throws SQLException {
        var scripts = new ArrayList<String>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT script FROM flyway_schema_history"
                     + " WHERE version IS NULL AND type = 'SQL' AND success ORDER BY installed_rank")) {
            while (rs.next()) {
                scripts.add(rs.getString(1));
            }
        }
        return scripts;
    }
}
