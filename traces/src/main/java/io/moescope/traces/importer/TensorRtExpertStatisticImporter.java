package io.moescope.traces.importer;

import com.fasterxml.jackson.databind.JsonNode;
import io.moescope.events.validation.StorableCounts;
import io.moescope.events.validation.StorableTokens;
import io.moescope.traces.safetensors.SafetensorsHeader;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * TensorRT-LLM's expert statistics ({@code EXPERT_STATISTIC_PATH}, written for the iterations of
 * {@code EXPERT_STATISTIC_ITER_RANGE}): {@code meta_info.json} {@code {"num_experts": N, "num_experts_per_token": k}}
 * (with {@code ep_size} and {@code experts_per_rank} in dispatch-dump mode), and beside it one
 * {@code rank{r}.safetensors} per rank whose tensor {@code "{iteration}_{layer}"} holds that rank's choices of each
 * expert in that iteration at that layer ({@code torch.bincount} of the routed ids: int64, N values). The counts of
 * one key are summed over the ranks, as TensorRT-LLM's own loader does; each iteration becomes one step of an
 * aggregate-only run (counts, no tokens), so the run's requests and phases cannot be told apart.
 *
 * <p>The trace is named by its {@code meta_info.json} or its directory ({@link TraceSource#of}). Streams key by key:
 * memory is one key's counts per rank.
 */
public final class TensorRtExpertStatisticImporter implements TraceImporter {

    /** The file that describes the statistics; the rank files lie beside it. */
    public static final String META_INFO = "meta_info.json";

    static final String NOT_SEPARABLE = "TensorRT-LLM's expert statistics count the choices of each engine iteration"
            + " and layer without recording tokens, requests or phases";

    private static final Pattern RANK_FILE = Pattern.compile("rank(\\d+)\\.safetensors");
    private static final Pattern KEY = Pattern.compile("(\\d{1,18})_(\\d{1,9})");

    /** An iteration and layer, the key of a tensor in the rank files. */
    private record Key(long iteration, int layer) {
        static final Comparator<Key> ORDER = Comparator.comparingLong(Key::iteration).thenComparingInt(Key::layer);
    }

    /** One rank's file: its header, and the channel its counts are read from. */
    private record Rank(Path file, FileChannel channel, SafetensorsHeader header) {
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.TENSORRT_LLM_EXPERT_STATISTIC;
    }

    @Override
    public boolean recognises(List<String> head) {
        JsonNode first = head.isEmpty() ? null : JsonLines.parse(head.get(0));
        return first != null && first.isObject() && first.has("num_experts") && first.has("num_experts_per_token")
                && !first.has("type");
    }

    @Override
    public void read(TraceSource source, ModelHints hints, TraceVisitor visitor) throws IOException {
        visitor.model(meta(source));
        Path directory = source.name().toAbsolutePath().getParent();
        List<Path> rankFiles = rankFiles(directory);
        var ranks = new ArrayList<Rank>();
        try {
            for (Path file : rankFiles) {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ranks.add(new Rank(file, channel, SafetensorsHeader.read(file, channel,
                        entry -> width(file, entry), IllegalArgumentException::new)));
            }
            long keys = readCounts(ranks, visitor);
            if (keys > 0) {
                visitor.requestsNotSeparable(NOT_SEPARABLE);
                visitor.note("counts of " + keys + " (iteration, layer) pairs summed over " + ranks.size()
                        + " rank file(s), as TensorRT-LLM's own loader does");
            }
        } finally {
            for (Rank rank : ranks) {
                rank.channel().close();
            }
        }
    }

    private static ModelHints meta(TraceSource source) throws IOException {
        String text;
        try (BufferedReader reader = source.open()) {
            text = reader.lines().collect(Collectors.joining("\n"));
        }
        JsonNode meta = JsonLines.parse(text);
        if (meta == null || !meta.isObject()) {
            throw new IllegalArgumentException(source.name() + ": not a JSON object");
        }
        // the run is named for the directory (EXPERT_STATISTIC_PATH), not for its meta_info.json
        Path directory = source.name().toAbsolutePath().getParent();
        return new ModelHints(directory.getFileName().toString(), null, null, positive(source, meta, "num_experts"),
                positive(source, meta, "num_experts_per_token"), null);
    }

    private static int positive(TraceSource source, JsonNode meta, String field) {
        JsonNode value = meta.get(field);
        if (value == null || !value.canConvertToInt() || value.asInt() < 1) {
            throw new IllegalArgumentException(source.name() + ": \"" + field + "\" must be a positive integer, not "
                    + value);
        }
        return value.asInt();
    }

    /** The rank files beside {@code meta_info.json}, by rank. */
    private static List<Path> rankFiles(Path directory) throws IOException {
        var files = new TreeMap<Integer, Path>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.forEach(file -> {
                Matcher m = RANK_FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    files.put(Integer.parseInt(m.group(1)), file);
                }
            });
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(directory + ": no rank{r}.safetensors beside " + META_INFO
                    + " (import the whole statistics directory)");
        }
        return List.copyOf(files.values());
    }

    /** Counts are TensorRT-LLM's bincount (int64); int32 is read too. */
    private static int width(Path file, SafetensorsHeader.Entry entry) {
        return switch (entry.dtype()) {
            case "I64" -> Long.BYTES;
            case "I32" -> Integer.BYTES;
            default -> throw new IllegalArgumentException(file.getFileName() + ": tensor '" + entry.name()
                    + "' has dtype " + entry.dtype() + "; expert counts are I64 or I32");
        };
    }

    /** Sends every key's counts, summed over the ranks, in (iteration, layer) order; @return the keys sent. */
    private static long readCounts(List<Rank> ranks, TraceVisitor visitor) throws IOException {
        var keys = new TreeMap<Key, List<Tensor>>(Key.ORDER);
        long line = 0;
        for (Rank rank : ranks) {
            for (var entry : rank.header().tensors().values()) {
                Matcher m = KEY.matcher(entry.name());
                if (m.matches()) {
                    keys.computeIfAbsent(new Key(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))),
                            k -> new ArrayList<>()).add(new Tensor(rank, entry));
                } else {
                    visitor.lineRead(++line);
                    visitor.reject(line, rank.file().getFileName() + ": tensor '" + entry.name()
                            + "' is not named {iteration}_{layer}");
                }
            }
        }
        for (Map.Entry<Key, List<Tensor>> key : keys.entrySet()) {
            visitor.lineRead(++line);
            try {
                StorableCounts.requireStorableIds(key.getKey().layer(), 0);
                visitor.counts(line, key.getKey().iteration(), key.getKey().layer(), sum(key.getValue()));
            } catch (IllegalArgumentException e) {
                visitor.reject(line, e.getMessage());
            }
        }
        return keys.size();
    }

    /** The counts of one key over the ranks that hold it. */
    private static long[] sum(List<Tensor> tensors) throws IOException {
        long[] sum = null;
        for (Tensor tensor : tensors) {
            long[] counts = tensor.counts();
            if (sum != null && counts.length != sum.length) {
                throw new IllegalArgumentException(tensor.describe() + " holds " + counts.length
                        + " counts but another rank's holds " + sum.length);
            }
            if (sum == null) {
                sum = counts;
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += counts[i];
                }
            }
        }
        return sum;
    }

    /** A tensor of one rank's file. */
    private record Tensor(Rank rank, SafetensorsHeader.Entry entry) {

        String describe() {
            return rank.file().getFileName() + ": tensor '" + entry.name() + "'";
        }

        long[] counts() throws IOException {
            long[] shape = entry.shape();
            if (shape.length != 1 || shape[0] < 1 || shape[0] > StorableTokens.MAX_EXPERTS) {
                throw new IllegalArgumentException(describe() + " has shape " + Arrays.toString(shape)
                        + "; expected [num_experts], at most " + StorableTokens.MAX_EXPERTS + " experts");
            }
            ByteBuffer data = rank.channel().map(FileChannel.MapMode.READ_ONLY, entry.dataOffset(), entry.byteSize())
                    .order(ByteOrder.LITTLE_ENDIAN);
            long[] counts = new long[(int) shape[0]];
            if (entry.dtype().equals("I64")) {
                data.asLongBuffer().get(counts);
            } else {
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = data.getInt();
                }
            }
            return counts;
        }
    }
}
