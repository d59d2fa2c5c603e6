package io.moescope.ingest.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/** The SQL functions of moescope's schema: as a database holds them, and as the repeatable migrations declare them. */
public final class SchemaFunctions {

    private static final String LOCATION = "db/migration/";
    private static final Pattern DECLARATION =
            Pattern.compile("CREATE OR REPLACE FUNCTION (\\w+)\\(.*?AS \\$\\$(.*?)\\$\\$", Pattern.DOTALL);
    /** Functions of the schema, less those of extensions (TimescaleDB's API and pg_trgm's live in it too). */
    private static final String FUNCTIONS = "SELECT p.proname, p.prosrc FROM pg_proc p"
            + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid"
            + " AND d.deptype = 'e')";

    private SchemaFunctions() {
    }

    /** Name -> body of every function of the database's schema; a name declared twice (an overload) fails. */
    public static Map<String, String> inDatabase(DataSource db) throws SQLException {
        var functions = new TreeMap<String, String>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(FUNCTIONS)) {
            while (rs.next()) {
                declare(functions, rs.getString(1), rs.getString(2), "the database");
            }
        }
        return functions;
    }

    /** Name -> body of every function the repeatable migrations declare. */
    public static Map<String, String> inRepeatableMigrations(DataSource db) {
        var functions = new TreeMap<String, String>();
        for (String script : repeatableMigrations(db)) {
            Matcher m = DECLARATION.matcher(read(script));
            while (m.find()) {
                declare(functions, m.group(1), m.group(2), script);
            }
        }
        return functions;
    }

    /** The scripts of the repeatable migrations that Flyway finds, by name. */
    public static List<String> repeatableMigrations(DataSource db) {
        return Arrays.stream(Flyway.configure().dataSource(db).load().info().all())
                .filter(m -> m.getVersion() == null).map(MigrationInfo::getScript).sorted().toList();
    }

    private static void declare(Map<String, String> functions, String name, String body, String where) {
        if (functions.put(name, body) != null) {
            throw new AssertionError("function " + name + " is declared twice in " + where);
        }
    }

    private static String read(String script) {
        try (InputStream in = SchemaFunctions.class.getClassLoader().getResourceAsStream(LOCATION + script)) {
            if (in == null) {
                throw new IllegalStateException("no " + LOCATION + script + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
