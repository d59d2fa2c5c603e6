package io.moescope.traces.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolFileTest {

    @TempDir
    Path dir;

    @Test
    void recordsReadBackInAppendOrderInChunksUntilDrained() {
        try (var spool = new SpoolFile(dir.resolve("s.bin"))) {
            spool.append(new Envelope("t1", "run/req", new byte[] {1, 2, 3}));
            spool.append(new Envelope("t2", "ключ", new byte[0]));
            spool.append(new Envelope("t1", "k", new byte[] {9}));
            var first = spool.readNext(2);
            assertThat(first).extracting(Envelope::topic).containsExactly("t1", "t2");
            assertThat(first.get(0).value()).containsExactly(1, 2, 3);
            assertThat(first.get(1).key()).isEqualTo("ключ");
            assertThat(spool.drained()).isFalse();
            assertThat(spool.readNext(10)).extracting(Envelope::key).containsExactly("k");
            assertThat(spool.drained()).isTrue();
        }
    }

    @Test
    void afterAResetTheFileStartsEmptyAndTakesNewRecords() {
        try (var spool = new SpoolFile(dir.resolve("s.bin"))) {
            spool.append(new Envelope("t", "a", new byte[] {1}));
            spool.readNext(10);
            spool.reset();
            assertThat(dir.resolve("s.bin")).isEmptyFile();
            spool.append(new Envelope("t", "b", new byte[] {2}));
            assertThat(spool.readNext(10)).extracting(Envelope::key).containsExactly("b");
        }
    }
}
