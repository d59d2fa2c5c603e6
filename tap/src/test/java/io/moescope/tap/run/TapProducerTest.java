package io.moescope.tap.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.traces.delivery.DeliveryOptions;
import io.moescope.traces.delivery.KafkaRoutingSink;
import io.moescope.traces.delivery.ProducerCompression;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class TapProducerTest {

    /** The client id is what the broker's logs and request metrics name a producer by: the tap's is not the probe's. */
    @Test
    void theTapsProducerNamesItselfMoescopeTap() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        // the producer connects on its first send only: no broker is needed to see its name
        try (var sink = new KafkaRoutingSink("127.0.0.1:1", ProducerCompression.EXTERNAL_BROKER, TapProducer.OVERRIDES,
                DeliveryOptions.defaults().withCloseTimeout(Duration.ofSeconds(1)))) {
            assertThat(server.isRegistered(new ObjectName("kafka.producer:type=app-info,id=moescope-tap"))).isTrue();
            assertThat(server.isRegistered(new ObjectName("kafka.producer:type=app-info,id=moescope-probe")))
                    .isFalse();
        }
    }
}
