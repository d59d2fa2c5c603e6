package io.moescope.ingest.expertcache;

import io.moescope.events.ExpertCacheCodec;
import io.moescope.events.Topics;
import io.moescope.storage.expertcache.ExpertCacheWriter;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Ingest of {@value Topics#EXPERT_CACHE} (probe {@code --expert-cache C}) into {@code expert_cache_access}, for an
 * application to {@code @Import} beside {@link io.moescope.ingest.consumer.IngestConfiguration}, whose listener
 * container factory (batch, offsets after the database, dead letters with a reason) it shares.
 */
@Configuration(proxyBeanMethods = false)
public class ExpertCacheIngestConfiguration {

    @Bean
    NewTopic moescopeIngestExpertCacheTopic(@Value("${moescope.kafka.partitions:3}") int partitions,
                                            @Value("${moescope.kafka.replication-factor:1}") short replicas) {
        return TopicBuilder.name(Topics.EXPERT_CACHE).partitions(partitions).replicas(replicas).build();
    }

    @Bean
    ExpertCacheListener moescopeIngestExpertCacheListener(DataSource dataSource) {
        return new ExpertCacheListener(new ExpertCacheCodec(), new ExpertCacheWriter(), dataSource);
    }
}
