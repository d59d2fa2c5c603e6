package io.moescope.probe.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The safetensors files of a checkpoint: one {@code model.safetensors}, or the shards an HF
 * {@code model.safetensors.index.json} lists (as large checkpoints such as Mixtral 8x7B are published).
 */
final class WeightFiles implements AutoCloseable {

    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String description;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private WeightFiles(String description, List<SafetensorsFile> files) {
        this.description = description;
        this.files = files;
        this.byTensor = new HashMap<>();
        for (SafetensorsFile file : files) {
            file.tensors().keySet().forEach(name -> byTensor.putIfAbsent(name, file));
        }
    }

    static WeightFiles open(Path directory) {
        Path single = directory.resolve(SINGLE);
        if (Files.isRegularFile(single)) {
            return new WeightFiles(single.toString(), List.of(SafetensorsFile.open(single)));
        }
        Path index = directory.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new CheckpointException("no weights in " + directory + ": expected " + SINGLE + " or " + INDEX);
        }
        var opened = new ArrayList<SafetensorsFile>();
        try {
            for (String shard : shards(index)) {
                opened.add(SafetensorsFile.open(directory.resolve(shard)));
            }
        } catch (RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
        return new WeightFiles("the shards of " + index, List.copyOf(opened));
    }

    /** The single file's path, or "the shards of &lt;index&gt;": where error messages say a tensor was sought. */
    String description() {
        return description;
    }

    Optional<TensorInfo> tensor(String name) {
        return Optional.ofNullable(byTensor.get(name)).flatMap(file -> file.tensor(name));
    }

    /** Every tensor name in the files, in no particular order. */
    Set<String> names() {
        return Collections.unmodifiableSet(byTensor.keySet());
    }

    /** Where a tensor is, for error messages. */
    Path fileOf(String name) {
        return byTensor.get(name).file();
    }

    float[] floats(String name) {
        return file(name).floats(name);
    }

    float[] floats(String name, long first, int count) {
        return file(name).floats(name, first, count);
    }

    byte[] bytes(String name, long first, int count) {
        return file(name).bytes(name, first, count);
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile file = byTensor.get(name);
        if (file == null) {
            throw new CheckpointException("missing tensor " + name + " in " + description);
        }
        return file;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }

    private static List<String> shards(Path index) {
        JsonNode map;
        try {
            map = JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + index + ": " + e.getMessage(), e);
        }
        if (!map.isObject() || map.isEmpty()) {
            throw new CheckpointException(index + " has no \"weight_map\" object");
        }
        var shards = new LinkedHashSet<String>();
        for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
            String shard = it.next().asText();
            if (shard.contains("/") || shard.contains("\\")) {
                throw new CheckpointException(index + " names shard " + shard + " outside the checkpoint directory");
            }
            shards.add(shard);
        }
        return List.copyOf(shards);
    }
}
