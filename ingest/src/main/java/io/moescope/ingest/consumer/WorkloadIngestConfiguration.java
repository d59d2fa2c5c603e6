package io.moescope.ingest.consumer;

import io.moescope.events.Topics;
import io.moescope.events.WorkloadCodec;
import io.moescope.events.WorkloadLimit;
import io.moescope.storage.workload.WorkloadWriter;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Ingest of recorded workloads (topic {@link Topics#WORKLOADS}); imported by {@link IngestConfiguration}. */
@Configuration(proxyBeanMethods = false)
class WorkloadIngestConfiguration {

    @Bean
    NewTopic moescopeIngestWorkloadsTopic(@Value("${moescope.kafka.partitions:3}") int partitions,
                                          @Value("${moescope.kafka.replication-factor:1}") short replicas) {
        // A workload is one record of up to WorkloadLimit.DEFAULT; the broker's default stops records at ~1 MB. The
        // consumer needs nothing: a fetch always returns a first record larger than its fetch sizes.
        return TopicBuilder.name(Topics.WORKLOADS).partitions(partitions).replicas(replicas)
                .config(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(WorkloadLimit.KAFKA_RECORD_BYTES))
                .build();
    }

    @Bean
    WorkloadBatchListener moescopeIngestWorkloadListener(DataSource dataSource) {
        return new WorkloadBatchListener(new WorkloadCodec(), new WorkloadWriter(), new JdbcTransactions(dataSource));
    }
}
