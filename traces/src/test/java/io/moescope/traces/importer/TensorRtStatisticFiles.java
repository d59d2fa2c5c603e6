package io.moescope.traces.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TensorRT-LLM expert statistics as {@code ExpertStatistic._write} leaves them, for tests of every module:
 * {@code meta_info.json} as {@code json.dump} writes it, and {@code rank{r}.safetensors} byte for byte as
 * {@code safetensors.torch.save_file} writes int64 tensors (an 8-byte little-endian header length, the JSON header
 * padded with spaces to a multiple of 8 bytes, the data).
 */
public final class TensorRtStatisticFiles {

    private TensorRtStatisticFiles() {
    }

    /**
     * The statistics of a model with 4 experts, top-2, MoE layers 1 and 3, run on two ranks: rank 0 routed 2 tokens
     * in iteration 100 and 1 in 101, rank 1 one token in iteration 100.
     */
    public static void writeTwoRanks(Path dir) throws IOException {
        writeMeta(dir, 4, 2);
        var rank0 = new LinkedHashMap<String, long[]>();
        rank0.put("100_1", new long[] {2, 1, 1, 0});
        rank0.put("100_3", new long[] {0, 0, 2, 2});
        rank0.put("101_1", new long[] {0, 1, 0, 1});
        rank0.put("101_3", new long[] {1, 1, 0, 0});
        writeRank(dir.resolve("rank0.safetensors"), rank0);
        var rank1 = new LinkedHashMap<String, long[]>();
        rank1.put("100_1", new long[] {1, 0, 0, 1});
        rank1.put("100_3", new long[] {0, 1, 1, 0});
        writeRank(dir.resolve("rank1.safetensors"), rank1);
    }

    /** {@code meta_info.json} of a model with {@code experts} experts and top-{@code k}. */
    public static void writeMeta(Path dir, int experts, int k) throws IOException {
        Files.writeString(dir.resolve("meta_info.json"), "{\"num_experts\": " + experts
                + ", \"num_experts_per_token\": " + k + "}");
    }

    /** A rank file: per key {@code "{iteration}_{layer}"} the rank's count of each expert. */
    public static void writeRank(Path file, Map<String, long[]> tensors) throws IOException {
        var json = new StringBuilder("{");
        long offset = 0;
        for (var tensor : tensors.entrySet()) {
            long end = offset + 8L * tensor.getValue().length;
            json.append(json.length() > 1 ? "," : "").append('"').append(tensor.getKey())
                    .append("\":{\"dtype\":\"I64\",\"shape\":[").append(tensor.getValue().length)
                    .append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header);
        tensors.values().forEach(counts -> {
            for (long count : counts) {
                bytes.putLong(count);
            }
        });
        Files.write(file, bytes.array());
    }
}
