package io.moescope.traces.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Lines at most N characters long, as BufferedReader would split them otherwise. */
class BoundedLineReaderTest {

    private static BoundedLineReader reader(String text, int maxChars) {
        return new BoundedLineReader(new StringReader(text), Path.of("t.jsonl"), maxChars);
    }

    @Test
    void splitsAtNewlinesAndCarriageReturnNewlinesAndKeepsEmptyLines() throws IOException {
        var reader = reader("a\r\n\nbc\nd", 10);
        assertThat(reader.readLine()).isEqualTo("a");
        assertThat(reader.readLine()).isEmpty();
        assertThat(reader.readLine()).isEqualTo("bc");
        assertThat(reader.readLine()).isEqualTo("d");
        assertThat(reader.readLine()).isNull();
    }

    @Test
    void aLineOfExactlyTheBoundIsRead() throws IOException {
        assertThat(reader("abcd\n", 4).readLine()).isEqualTo("abcd");
        assertThat(reader("abcd\r\n", 4).readLine()).isEqualTo("abcd");
    }

    @Test
    void aLongerLineIsReportedWithItsNumberAndLengthAndTheNextLineFollows() throws IOException {
        var reader = reader("ok\n" + "y".repeat(200_000) + "\nnext\n", 100);
        assertThat(reader.readLine()).isEqualTo("ok");
        assertThatThrownBy(reader::readLine).isInstanceOf(LineTooLongException.class)
                .hasMessage("t.jsonl line 2: 200000 characters, over the 100 a line may have (--max-line-chars)");
        assertThat(reader.readLine()).isEqualTo("next");
        assertThat(reader.readLine()).isNull();
    }

    @Test
    void aTooLongLastLineWithoutNewlineIsReportedToo() throws IOException {
        var reader = reader("zzzzz", 3);
        assertThatThrownBy(reader::readLine).isInstanceOf(LineTooLongException.class)
                .hasMessageContaining("line 1: 5 characters");
        assertThat(reader.readLine()).isNull();
    }
}
