package io.moescope.ingest.support;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** One database of a test server, as a JDBC URL and credentials (what an application's configuration names). */
public record Database(String jdbcUrl, String user, String password) {

    public DataSource dataSource() {
        var dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }
}
