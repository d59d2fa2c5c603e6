package io.moescope.ingest.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;

class IngestConsumerPropertiesTest {

    @Test
    void ingestsConsumersTakeTheSystemsReceiveBufferAndPushNoClientMetricsToTheBroker() {
        Map<String, Object> consumer = IngestConfiguration.consumerProperties(new KafkaProperties(), noSslBundles());

        assertThat(consumer).containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1)
                .containsEntry(ConsumerConfig.ENABLE_METRICS_PUSH_CONFIG, false);
    }

    @Test
    void theApplicationsOwnReceiveBufferAndMetricsPushWin() {
        var kafka = new KafkaProperties();
        kafka.getConsumer().getProperties().put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "262144");
        kafka.getConsumer().getProperties().put(ConsumerConfig.ENABLE_METRICS_PUSH_CONFIG, "true");

        Map<String, Object> consumer = IngestConfiguration.consumerProperties(kafka, noSslBundles());

        assertThat(consumer).containsEntry(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "262144")
                .containsEntry(ConsumerConfig.ENABLE_METRICS_PUSH_CONFIG, "true");
    }

    private static org.springframework.beans.factory.ObjectProvider<SslBundles> noSslBundles() {
        return new StaticListableBeanFactory().getBeanProvider(SslBundles.class);
    }
}
