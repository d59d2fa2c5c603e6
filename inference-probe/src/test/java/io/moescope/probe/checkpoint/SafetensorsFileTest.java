package io.moescope.probe.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.moescope.probe.checkpoint.SafetensorsWriter.Declaration;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    @Test
    void f32TensorsRoundTripWithNamesShapesAndValues() throws Exception {
        Path file = dir.resolve("t.safetensors");
        try (var out = SafetensorsWriter.create(file, List.of(
                new Declaration("a", DType.F32, new long[] {2, 3}),
                new Declaration("b", DType.F32, new long[] {1})))) {
            out.write("a", new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, 1e30f});
            out.write("b", new float[] {42});
        }
        try (var in = SafetensorsFile.open(file)) {
            assertThat(in.tensors().keySet()).containsExactly("a", "b");
            assertThat(in.tensor("a").orElseThrow().shape()).containsExactly(2, 3);
            assertThat(in.floats("a")).containsExactly(1, -2, 3.5f, 0, Float.MIN_VALUE, 1e30f);
            assertThat(in.floats("b")).containsExactly(42);
        }
    }

    @Test
    void bf16KeepsTheUpperHalfOfEachFloatRoundedToNearestEven() throws Exception {
        Path file = dir.resolve("bf16.safetensors");
        try (var out = SafetensorsWriter.create(file, List.of(new Declaration("w", DType.BF16, new long[] {4})))) {
            // 1 + 2^-8 is exactly halfway between two bfloat16 values and rounds to the even one, 1.0.
            out.write("w", new float[] {1.5f, -0.375f, 1 + 0x1p-8f, 1 + 0x1p-7f});
        }
        try (var in = SafetensorsFile.open(file)) {
            assertThat(in.floats("w")).containsExactly(1.5f, -0.375f, 1f, 1 + 0x1p-7f);
        }
    }

    @Test
    void f16BitPatternsDecodeToTheirIeeeValues() throws Exception {
        short[] halves = {0x3C00, (short) 0xC000, 0x3555, 0x0001, 0x7BFF, 0x7C00, (short) 0x8000};
        Path file = rawFile("f16.safetensors", "F16", halves);
        try (var in = SafetensorsFile.open(file)) {
            assertThat(in.floats("h")).containsExactly(1f, -2f, 0.333251953125f, 0x1p-24f, 65504f,
                    Float.POSITIVE_INFINITY, -0f);
        }
    }

    @Test
    void f16WriterRoundsToTheNearestHalf() throws Exception {
        Path file = dir.resolve("f16w.safetensors");
        try (var out = SafetensorsWriter.create(file, List.of(new Declaration("h", DType.F16, new long[] {4})))) {
            out.write("h", new float[] {0.1f, -65504f, 0x1p-24f, 1e-9f});
        }
        try (var in = SafetensorsFile.open(file)) {
            assertThat(in.floats("h")).containsExactly(0.0999755859375f, -65504f, 0x1p-24f, 0f);
        }
    }

    private Path rawFile(String name, String dtype, short[] values) throws Exception {
        String header = "{\"h\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + values.length + "],\"data_offsets\":[0,"
                + values.length * 2 + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json);
        for (short v : values) {
            buffer.putShort(v);
        }
        Path file = dir.resolve(name);
        Files.write(file, buffer.array());
        return file;
    }
}
