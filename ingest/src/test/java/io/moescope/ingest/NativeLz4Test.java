package io.moescope.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

class NativeLz4Test {

    @Test
    void afterLoadingKafkasChoiceOfCodecIsTheNativeOne() {
        assertThat(NativeLz4.load()).isTrue();

        // What Kafka's Lz4BlockInputStream / Lz4BlockOutputStream ask for.
        assertThat(LZ4Factory.fastestInstance()).isSameAs(LZ4Factory.nativeInstance());
    }
}
