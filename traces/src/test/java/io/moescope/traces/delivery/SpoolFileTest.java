package io.moescope.traces.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    @Test
    void aFileLeftByAnEarlierProcessIsReadFromItsStartBeforeRecordsAppendedNow() {
        Path file = dir.resolve("s.bin");
        try (var earlier = new SpoolFile(file)) {
            earlier.append(new Envelope("t", "a", new byte[] {1}));
            earlier.append(new Envelope("t", "b", new byte[] {2, 3}));
        }
        try (var spool = new SpoolFile(file)) {
            assertThat(spool.recover()).isEqualTo(new SpoolFile.Leftover(2, 0));
            spool.append(new Envelope("t", "c", new byte[] {4}));
            assertThat(spool.readNext(10)).extracting(Envelope::key).containsExactly("a", "b", "c");
            assertThat(spool.drained()).isTrue();
        }
    }

    @Test
    void aRecordCutOffByTheEarlierProcessStopIsDroppedAndTheWholeOnesKept() throws IOException {
        Path file = dir.resolve("s.bin");
        try (var earlier = new SpoolFile(file)) {
            earlier.append(new Envelope("t", "a", new byte[] {1}));
            earlier.append(new Envelope("t", "b", new byte[] {2, 3, 4, 5}));
        }
        // a record is 2 + topic + 2 + key + 4 + value bytes: 2 + 1 + 2 + 1 + 4 + 1 = 11, then 14; cut 3 into the second
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(11 + 3);
        }
        try (var spool = new SpoolFile(file)) {
            assertThat(spool.recover()).isEqualTo(new SpoolFile.Leftover(1, 3));
            assertThat(file).hasSize(11);
            assertThat(spool.readNext(10)).extracting(Envelope::key).containsExactly("a");
        }
    }

    @Test
    void noFileLeftMeansNothingToSendFirst() {
        try (var spool = new SpoolFile(dir.resolve("s.bin"))) {
            assertThat(spool.recover()).isEqualTo(new SpoolFile.Leftover(0, 0));
            assertThat(spool.drained()).isTrue();
            spool.append(new Envelope("t", "a", new byte[] {1}));
            assertThat(spool.readNext(10)).extracting(Envelope::key).containsExactly("a");
        }
    }
}
