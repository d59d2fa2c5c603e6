package io.moescope.platform.storagepaths;

import io.moescope.ingest.support.Database;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the application under test at a database of a test server (it then starts no embedded PostgreSQL). */
final class ApplicationDatabase {

    private ApplicationDatabase() {
    }

    static void use(DynamicPropertyRegistry registry, Database db) {
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }
}
