package io.moescope.platform;

import io.moescope.storage.expertcache.ExpertCacheStats;
import io.moescope.storage.rollups.RolledUpCounts;
import io.moescope.storage.routing.RoutingReader;
import io.moescope.storage.counts.ExpertCountSteps;
import io.moescope.storage.routing.RunTokenReader;
import io.moescope.storage.runs.RunShapes;
import io.moescope.storage.runs.RunStates;
import io.moescope.storage.suites.StoredSuites;
import io.moescope.storage.workload.RecordedWorkloadRows;
import io.moescope.storage.workload.TokenTextTable;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/** Storage's repositories (the application's SQL lives in the storage module), over Boot's DataSource templates. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    RunShapes runShapes(JdbcClient jdbc) {
        return new RunShapes(jdbc);
    }

    @Bean
    RolledUpCounts rolledUpCounts(JdbcClient jdbc) {
        return new RolledUpCounts(jdbc);
    }

    @Bean
    RunStates runStates(JdbcClient jdbc, NamedParameterJdbcTemplate named) {
        return new RunStates(jdbc, named);
    }

    @Bean
    StoredSuites storedSuites(JdbcClient jdbc) {
        return new StoredSuites(jdbc);
    }

    @Bean
    TokenTextTable tokenTextTable(JdbcTemplate jdbc) {
        return new TokenTextTable(jdbc);
    }

    @Bean
    RecordedWorkloadRows recordedWorkloadRows(JdbcTemplate jdbc, TokenTextTable texts) {
        return new RecordedWorkloadRows(jdbc, texts);
    }

    @Bean
    ExpertCountSteps expertCountSteps(JdbcClient jdbc) {
        return new ExpertCountSteps(jdbc);
    }

    @Bean
    ExpertCacheStats expertCacheStats(JdbcClient jdbc) {
        return new ExpertCacheStats(jdbc);
    }

    @Bean
    RoutingReader routingReader(DataSource dataSource) {
        return new RoutingReader(dataSource);
    }

    @Bean
    RunTokenReader runTokenReader(DataSource dataSource, PlatformTransactionManager transactions) {
        return new RunTokenReader(dataSource, transactions);
    }
}
