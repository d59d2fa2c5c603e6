package io.moescope.ingest.counts;

import io.moescope.events.ExpertCountsCodec;
import io.moescope.events.Topics;
import io.moescope.ingest.consumer.JdbcTransactions;
import io.moescope.ingest.validation.RunModelDirectory;
import io.moescope.storage.counts.ExpertCountsWriter;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Ingest of {@value Topics#EXPERT_COUNTS} (the steps of aggregate-only runs: TensorRT-LLM expert statistics,
 * llama.cpp moe-trace) into {@code expert_count_step} and the rollups, for an application to {@code @Import} beside
 * {@link io.moescope.ingest.consumer.IngestConfiguration}, whose listener container factory and run models it shares.
 */
@Configuration(proxyBeanMethods = false)
public class ExpertCountsIngestConfiguration {

    @Bean
    NewTopic moescopeIngestExpertCountsTopic(@Value("${moescope.kafka.partitions:3}") int partitions,
                                             @Value("${moescope.kafka.replication-factor:1}") short replicas) {
        return TopicBuilder.name(Topics.EXPERT_COUNTS).partitions(partitions).replicas(replicas).build();
    }

    @Bean
    ExpertCountsListener moescopeIngestExpertCountsListener(DataSource dataSource, RunModelDirectory runModels) {
        return new ExpertCountsListener(new ExpertCountsCodec(), runModels, new ExpertCountsWriter(),
                new JdbcTransactions(dataSource));
    }
}
